// Page object for a lesson: open it fresh (storage cleared) at /lab?lesson=<id>, read the lesson panel (steps and their
// state, feedback, predictions, summary, proof), and run axe on the panel.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { LabPage } from './lab-page';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export class LessonPage extends LabPage {
  constructor(page: Page) {
    super(page);
  }

  /** Storage cleared, the lesson opened (its lab built and its prelude run), the panel ready. */
  async openLessonFresh(lessonId: string) {
    await this.page.goto('/');
    await this.clearStorage();
    await this.openLesson(lessonId);
  }

  async openLesson(lessonId: string) {
    await this.page.goto(`/lab?lesson=${lessonId}`);
    await this.waitReady();
    await expect(this.panel).toBeVisible({ timeout: 30_000 });
  }

  /** The theme, once its colour transitions have finished (so screenshots show the colours axe measured). */
  override async setTheme(theme: 'light' | 'dark') {
    await super.setTheme(theme);
    await this.page.waitForTimeout(600);
  }

  get panel(): Locator {
    return this.page.getByTestId('lesson-panel');
  }

  step(stepId: string): Locator {
    return this.panel.locator(`li[data-step="${stepId}"]`);
  }

  async expectStep(stepId: string, state: 'done' | 'shown' | 'skipped' | 'current' | 'pending') {
    await expect(this.step(stepId)).toHaveAttribute('data-state', state, { timeout: 20_000 });
  }

  get misconception(): Locator {
    return this.panel.getByTestId('misconception');
  }

  /** Answers the current step's prediction: subject label (start of) → choice label. */
  async predict(answers: Record<string, string>, shotBeforeRecording?: string) {
    const form = this.panel.getByTestId('prediction-form');
    for (const [subject, choice] of Object.entries(answers)) {
      await form.getByRole('group', { name: new RegExp(`^${subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).getByLabel(choice, { exact: true }).check();
    }
    if (shotBeforeRecording) {
      await form.scrollIntoViewIfNeeded();
      await this.shot(shotBeforeRecording);
      await this.expectPanelAccessible(shotBeforeRecording);
    }
    await form.getByRole('button', { name: 'Record my prediction' }).click();
    await expect(this.panel.getByTestId('prediction-recorded')).toBeVisible();
  }

  get summary(): Locator {
    return this.panel.getByTestId('lesson-summary');
  }

  async expectProofOk() {
    await expect(this.summary.getByTestId('proof')).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  }

  /** axe (WCAG 2.1 AA) on the docked panel only. */
  async expectPanelAccessible(where: string) {
    await this.page.waitForTimeout(400);
    const result = await new AxeBuilder({ page: this.page }).include('[data-testid="side-dock"]').withTags(TAGS).analyze();
    const report = result.violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary}`).join('\n')}`);
    expect(report, `axe violations on the lesson panel (${where})`).toEqual([]);
  }
}
