import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

// Accessibility checks with axe-core, for every spec that shows a screen.

const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // The fake camera's test pattern is not text; the video tiles' own labels are checked.
    .exclude('video')
    .analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`).join('; ')})`,
  );
}

/** No axe violations (WCAG 2.1 A and AA) on `page` at laptop and phone size. */
export async function expectAccessible(page: Page, screen: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    expect(await violations(page), `${screen} at ${size.width}×${size.height}`).toEqual([]);
  }
}
