import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, beforeEach, expect, test, vi } from 'vitest';
import type { Knock } from '../../../shared/protocol/moderation';
import { PeoplePanel } from '../../components/PeoplePanel';
import { MeetingClientContext } from '../../meeting/context';
import type { MeetingClient } from '../../meeting/meeting-client';
import { Stage } from '../../screens/room/Stage';
import { useMeeting, type RemotePeer } from '../../state/store';
import { HostControls } from './HostControls';
import { LobbyCard } from './LobbyCard';
import { ModerationDialogs } from './ModerationDialogs';
import { UnmutePrompt } from './UnmutePrompt';

// What owners and admins are offered in the room, and that nobody else is.

beforeAll(() => {
  // jsdom has <dialog> but not its modal methods.
  const proto = HTMLDialogElement.prototype;
  proto.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

const peer = (peerId: string, name: string, privilege: number, micOn = true): RemotePeer => ({
  peerId,
  userId: `u-${peerId}`,
  fullname: name,
  displayName: name,
  privilege,
  reconnecting: false,
  tracks: {
    [`m-${peerId}`]: {
      producerId: `m-${peerId}`,
      kind: 'audio',
      source: 'microphone',
      paused: !micOn,
      consumerId: null,
      track: null,
    },
  },
});

const knock = (id: string, name: string, invited = true): Knock => ({
  knock_id: id,
  user_id: `u-${id}`,
  display_name: name,
  device: 'Chrome on Linux',
  invited,
  since: 1,
});

function renderRoom(privilege: number) {
  useMeeting.getState().setSession({
    phase: 'in-room',
    self: { userId: 'u-me', peerId: 'me', roomId: 'r', displayName: 'Me', privilege },
  });
  const moderation = {
    mutePeer: vi.fn(async () => undefined),
    muteAll: vi.fn(async () => undefined),
    allowUnmute: vi.fn(async () => undefined),
    removePeer: vi.fn(async () => undefined),
    endMeeting: vi.fn(async () => undefined),
    setRoomSettings: vi.fn(async () => undefined),
    answerKnock: vi.fn(async () => undefined),
    setRole: vi.fn(async () => undefined),
    rotateInvite: vi.fn(async () => 'fresh'),
    refreshInvite: vi.fn(async () => undefined),
  };
  const tools = { setHandRaised: vi.fn(async () => undefined) };
  render(
    <MeetingClientContext value={{ moderation, tools } as unknown as MeetingClient}>
      <Stage selfName="Me" />
      <PeoplePanel selfName="Me" />
      <nav aria-label="Meeting controls">
        <HostControls />
      </nav>
      <LobbyCard />
      <UnmutePrompt />
      <ModerationDialogs />
    </MeetingClientContext>,
  );
  return { moderation, tools };
}

const menuItems = () => screen.getAllByRole('menuitem').map((item) => item.textContent);

beforeEach(() => {
  useMeeting.setState(useMeeting.getInitialState());
  useMeeting.getState().setPeers([peer('p-ben', 'Ben', 7), peer('p-olga', 'Olga', 63)]);
});

test('a member is offered no moderation anywhere: no host controls, no lobby, tile menus as before', () => {
  useMeeting.getState().setKnocks([knock('k1', 'Dee')]);
  renderRoom(7);
  expect(screen.queryByText('Host controls')).toBeNull();
  expect(screen.queryByRole('region', { name: /Waiting to join/ })).toBeNull();
  expect(screen.queryByRole('button', { name: /^More actions for/ })).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Options for Ben' }));
  expect(menuItems()).toEqual(['Pin', 'Speaker view']);
  // Roles still show: the owner's badge on the tile and in the panel.
  expect(within(screen.getByTestId('tile-p-olga')).getByText('Owner')).toBeTruthy();
  expect(within(screen.getByTestId('participant-u-p-olga')).getByText('Owner')).toBeTruthy();
});

test('an admin’s person menu: mute, make admin, remove after a confirmation', async () => {
  const { moderation } = renderRoom(31);
  const more = screen.getByRole('button', { name: 'More actions for Ben' });
  fireEvent.click(more);
  expect(menuItems()).toEqual(['Mute microphone', 'Make admin', 'Remove from meeting']);
  fireEvent.click(screen.getByRole('menuitem', { name: 'Mute microphone' }));
  expect(moderation.mutePeer).toHaveBeenCalledWith('p-ben', 'microphone');

  fireEvent.click(more);
  fireEvent.click(screen.getByRole('menuitem', { name: 'Remove from meeting' }));
  const dialog = screen.getByRole('dialog', { name: 'Remove Ben from the meeting?' });
  expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
  expect(moderation.removePeer).not.toHaveBeenCalled();
  await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' })));
  expect(moderation.removePeer).toHaveBeenCalledWith('p-ben');
  expect(screen.queryByRole('dialog')).toBeNull();

  // The tile's menu offers the same after pinning and layout.
  fireEvent.click(screen.getByRole('button', { name: 'Options for Ben' }));
  expect(menuItems()).toEqual([
    'Pin',
    'Speaker view',
    'Mute microphone',
    'Make admin',
    'Remove from meeting',
  ]);
  expect(screen.getAllByRole('separator')).toHaveLength(1);
});

test('an admin cannot remove or demote the owner; the owner can demote and remove an admin', () => {
  useMeeting.getState().setPeers([peer('p-ann', 'Ann', 31, false), peer('p-olga', 'Olga', 63)]);
  renderRoom(31);
  fireEvent.click(screen.getByRole('button', { name: 'More actions for Olga' }));
  expect(menuItems()).toEqual(['Mute microphone']);
  fireEvent.keyDown(screen.getByRole('menu'), { key: 'Escape' });
  fireEvent.click(screen.getByRole('button', { name: 'More actions for Ann' }));
  expect(menuItems()).toEqual(['Remove admin', 'Remove from meeting']);
});

test('host controls: switches for the settings, mute everyone, end for everyone after asking', async () => {
  const { moderation } = renderRoom(31);
  const summary = screen.getByText('Host controls', { selector: '.ctl-label' }).closest('summary')!;
  fireEvent.click(summary);
  const lock = await screen.findByRole('switch', { name: /Lock meeting/ });
  expect(lock.getAttribute('aria-checked')).toBe('false');
  await act(async () => fireEvent.click(lock));
  expect(moderation.setRoomSettings).toHaveBeenCalledWith({ locked: true });
  act(() => useMeeting.getState().setRoomSettings({ locked: true, ask_to_unmute: false }));
  expect(lock.getAttribute('aria-checked')).toBe('true');

  await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Mute everyone' })));
  expect(moderation.muteAll).toHaveBeenCalledWith('microphone');
  expect(useMeeting.getState().moderation.notice?.text).toBe('You muted everyone else');

  fireEvent.click(summary);
  fireEvent.click(await screen.findByRole('button', { name: 'End meeting for everyone' }));
  const dialog = screen.getByRole('dialog', { name: 'End the meeting for everyone?' });
  await act(async () =>
    fireEvent.click(within(dialog).getByRole('button', { name: 'End for everyone' })),
  );
  expect(moderation.endMeeting).toHaveBeenCalledOnce();
});

test('host controls close with Esc and give the focus back', async () => {
  renderRoom(63);
  const summary = screen.getByText('Host controls', { selector: '.ctl-label' }).closest('summary')!;
  fireEvent.click(summary);
  const lock = await screen.findByRole('switch', { name: /Lock meeting/ });
  lock.focus();
  fireEvent.keyDown(document, { key: 'Escape' });
  await waitFor(() => expect(summary.closest('details')!.open).toBe(false));
  expect(document.activeElement).toBe(summary);
});

test('the lobby card: who waits, admit or decline each, admit all', async () => {
  useMeeting.getState().setKnocks([knock('k1', 'Dee'), knock('k2', 'Eve', false)]);
  const { moderation } = renderRoom(31);
  const card = screen.getByRole('region', { name: 'Waiting to join (2)' });
  expect(within(card).getByText('Chrome on Linux · invited')).toBeTruthy();
  expect(within(card).getByText('Chrome on Linux · not invited')).toBeTruthy();
  await act(async () => fireEvent.click(within(card).getByRole('button', { name: 'Admit Dee' })));
  expect(moderation.answerKnock).toHaveBeenCalledWith('k1', true);
  await act(async () => fireEvent.click(within(card).getByRole('button', { name: 'Decline Eve' })));
  expect(moderation.answerKnock).toHaveBeenLastCalledWith('k2', false);
  await act(async () =>
    fireEvent.click(within(card).getByRole('button', { name: 'Admit all (2)' })),
  );
  expect(moderation.answerKnock).toHaveBeenCalledTimes(4);

  fireEvent.click(within(card).getByRole('button', { name: 'Hide' }));
  expect(within(card).queryByRole('button', { name: 'Admit Dee' })).toBeNull();
  act(() =>
    useMeeting.getState().setKnocks([knock('k1', 'Dee'), knock('k2', 'Eve'), knock('k3', 'Fay')]),
  );
  // Someone new: it opens again.
  expect(screen.getByRole('button', { name: 'Admit Fay' })).toBeTruthy();
});

test('held back from unmuting: the prompt offers raising the hand and goes when allowed', async () => {
  const { tools } = renderRoom(7);
  act(() => useMeeting.getState().unmuteRefused());
  const prompt = screen.getByRole('region', { name: 'Ask to unmute' });
  expect(prompt.textContent).toContain('The meeting asks you to raise your hand before you unmute');
  await act(async () =>
    fireEvent.click(within(prompt).getByRole('button', { name: 'Raise hand' })),
  );
  expect(tools.setHandRaised).toHaveBeenCalledWith(true);
  act(() => useMeeting.getState().setMayUnmute(true));
  expect(screen.queryByRole('region', { name: 'Ask to unmute' })).toBeNull();
});
