import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import type { DesktopBridge, HostingInfo, ScreenSource } from '../../shared/desktop/bridge';
import { HostingPanel } from './HostingPanel';
import { ScreenPicker } from './ScreenPicker';

// The desktop-only components against the preload bridge's interface.

function installBridge(overrides: Partial<DesktopBridge>): DesktopBridge {
  const bridge = {
    hostMeeting: vi.fn(),
    stopHosting: vi.fn(async () => undefined),
    hostingInfo: vi.fn(async () => null),
    openInvite: vi.fn(),
    openLogs: vi.fn(async () => undefined),
    onScreenPickerRequest: vi.fn(() => () => undefined),
    chooseScreen: vi.fn(),
    ...overrides,
  } as DesktopBridge;
  (window as { roundtableDesktop?: DesktopBridge }).roundtableDesktop = bridge;
  return bridge;
}

afterEach(() => delete (window as { roundtableDesktop?: DesktopBridge }).roundtableDesktop);

const info: HostingInfo = {
  inviteUrl: 'https://10.0.0.2:8443/#/join?hub=h&invite=i',
  deepLink: 'roundtable://join/10.0.0.2:8443?hub=h&invite=i',
  ownerUrl: 'https://10.0.0.2:8443/#/join?hub=h&invite=o',
  fingerprint: 'AA:BB',
  qrDataUrl: 'data:image/png;base64,iVBORw0KGgo=',
  mediaSockets: ['udp 10.0.0.2:40000'],
};

test('nothing desktop-only shows in a plain browser', () => {
  const { container } = render(
    <>
      <HostingPanel />
      <ScreenPicker />
    </>,
  );
  expect(container.innerHTML).toBe('');
});

test('the person hosting sees the invite, its QR code and fingerprint, and can stop hosting', async () => {
  const bridge = installBridge({ hostingInfo: vi.fn(async () => info) });
  render(<HostingPanel />);
  expect(await screen.findByText(info.inviteUrl)).toBeTruthy();
  expect(screen.getByRole('img', { name: 'QR code of the invite link' }).getAttribute('src')).toBe(
    info.qrDataUrl,
  );
  expect(screen.getByText('AA:BB')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Stop hosting' }));
  expect(bridge.stopHosting).toHaveBeenCalledOnce();
});

test('the screen picker lists screens and windows and answers with the choice or a cancel', () => {
  let open: (sources: ScreenSource[]) => void = () => undefined;
  const bridge = installBridge({
    onScreenPickerRequest: (listener) => ((open = listener), () => undefined),
  });
  render(<ScreenPicker />);
  expect(screen.queryByRole('dialog')).toBeNull();
  const sources: ScreenSource[] = [
    { id: 'screen:0', name: 'Entire screen', kind: 'screen', thumbnailDataUrl: 'data:,' },
    { id: 'window:7', name: 'Slides', kind: 'window', thumbnailDataUrl: 'data:,' },
  ];
  act(() => open(sources));
  expect(screen.getByRole('dialog', { name: 'Choose what to share' })).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Slides' }));
  expect(bridge.chooseScreen).toHaveBeenLastCalledWith('window:7');
  expect(screen.queryByRole('dialog')).toBeNull();
  act(() => open(sources));
  fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(bridge.chooseScreen).toHaveBeenLastCalledWith(null);
});
