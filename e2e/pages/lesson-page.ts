// Page object for a lesson: open it fresh (storage cleared) at /lab?lesson=<id>, read the lesson panel (steps and their
// state, feedback, predictions, summary, proof), and run axe on the panel.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { LabPage } from './lab-page';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export class LessonPage extends LabPage {
  /** The lesson last opened: its summary's screenshot and axe report are named after it. */
  private lessonId = '';

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
    this.lessonId = lessonId;
    await this.page.goto(`/lab?lesson=${lessonId}`);
    await this.waitReady();
    await expect(this.panel).toBeVisible({ timeout: 30_000 });
  }

  /** A lab's saved record as stored (its snapshot JSON), or null: `db` keylab for the sandbox, keylab-lesson-<id> for a lesson. */
  async savedLabRecord(db: string, labId: string): Promise<string | null> {
    return this.page.evaluate(
      ({ db, labId }) =>
        new Promise<string | null>((resolve, reject) => {
          const req = indexedDB.open(db);
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const get = req.result.transaction('savedLabs', 'readonly').objectStore('savedLabs').get(labId);
            get.onsuccess = () => {
              req.result.close();
              resolve((get.result as { snapshotJson?: string } | undefined)?.snapshotJson ?? null);
            };
            get.onerror = () => reject(get.error);
          };
        }),
      { db, labId },
    );
  }

  /**
   * Breaks drawing as a faulty page would: String#padStart throws (the header's lab clock redraws through it every
   * second). Returns what mends it.
   */
  async breakDrawing(): Promise<() => Promise<void>> {
    const swap = (broken: boolean) =>
      this.page.evaluate((broken) => {
        const kept = window as unknown as { keptPadStart?: typeof String.prototype.padStart };
        kept.keptPadStart ??= String.prototype.padStart;
        String.prototype.padStart = broken ? () => { throw new TypeError("Cannot read properties of undefined (reading 'padStart')"); } : kept.keptPadStart;
      }, broken);
    await swap(true);
    return () => swap(false);
  }

  /** Cuts a lesson's saved lab record short, as a damaged disk would leave it (call where that lesson is not open). */
  async spoilSavedLesson(lessonId: string) {
    await this.page.evaluate(
      (lessonId) =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.open(`keylab-lesson-${lessonId}`);
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const tx = req.result.transaction('savedLabs', 'readwrite');
            const store = tx.objectStore('savedLabs');
            const get = store.get(`lesson-${lessonId}`);
            get.onsuccess = () => {
              const row = get.result as { snapshotJson: string };
              store.put({ ...row, snapshotJson: row.snapshotJson.slice(0, row.snapshotJson.length / 2) });
            };
            tx.oncomplete = () => {
              req.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      lessonId,
    );
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

  get handout(): Locator {
    return this.panel.getByTestId('handout');
  }

  /** Downloads the handout's .p12 (kept in the test's output folder); returns its path and the password shown beside it. */
  async downloadHandout(): Promise<{ file: string; password: string }> {
    const password = (await this.handout.getByTestId('handout-password').innerText()).trim();
    const downloading = this.page.waitForEvent('download');
    await this.handout.getByRole('button', { name: /^Download/ }).click();
    const download = await downloading;
    const file = test.info().outputPath(download.suggestedFilename());
    await download.saveAs(file);
    return { file, password };
  }

  /** A screenshot and axe on the panel in the light theme, then the dark one, with `target` scrolled into view; ends light. */
  async shotInBothThemes(target: Locator, shot: string, where: string) {
    for (const theme of ['light', 'dark'] as const) {
      await this.setTheme(theme);
      await target.scrollIntoViewIfNeeded();
      await this.shot(`${shot}-${theme}`);
      await this.expectPanelAccessible(`${where}, ${theme}`);
    }
    await this.setTheme('light');
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

  /** Answers the current step's prediction with the first choice for every subject (for specs that do not assert the answers' wording). */
  async predictFirstChoices() {
    const form = this.panel.getByTestId('prediction-form');
    const groups = form.getByRole('group');
    const count = await groups.count();
    for (let i = 0; i < count; i++) await groups.nth(i).getByRole('radio').first().check();
    await form.getByRole('button', { name: 'Record my prediction' }).click();
    await expect(this.panel.getByTestId('prediction-recorded')).toBeVisible();
  }

  get summary(): Locator {
    return this.panel.getByTestId('lesson-summary');
  }

  async expectProofOk() {
    await expect(this.summary.getByTestId('proof')).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  }

  /**
   * The lesson's end: its summary, whose score says each of `score` (steps done, predictions right), whose proof holds
   * and names each of `proof` (files read back, or what no key opens); then a screenshot (lesson-<id>-summary) and axe
   * on the panel.
   */
  async expectSummary({ score = [], proof = [] }: { score?: string[]; proof?: string[] }) {
    const shot = `lesson-${this.lessonId}-summary`;
    const where = `${this.lessonId} summary`;
    await expect(this.summary).toBeVisible();
    for (const text of score) await expect(this.summary.getByTestId('lesson-score')).toContainText(text);
    await this.expectProofOk();
    for (const text of proof) await expect(this.summary.getByTestId('proof')).toContainText(text);
    await this.summary.scrollIntoViewIfNeeded();
    await this.shot(shot);
    await this.expectPanelAccessible(where);
  }

  /**
   * The summary at 1280 px and 390 px wide, light and dark (lesson-<id>-summary-<width>-<theme>): on a phone the panel
   * is opened first if it starts folded. Ends at 1280 px, light.
   */
  async summaryShots() {
    for (const width of [1280, 390]) {
      await this.page.setViewportSize({ width, height: width === 390 ? 844 : 720 });
      const show = this.page.getByRole('button', { name: 'Show lesson' });
      if (!(await this.panel.isVisible()) && (await show.isVisible())) await show.click();
      await expect(this.summary).toBeVisible();
      for (const theme of ['light', 'dark'] as const) {
        await this.setTheme(theme);
        await this.summary.scrollIntoViewIfNeeded();
        await this.shot(`lesson-${this.lessonId}-summary-${width}-${theme}`);
      }
      await this.setTheme('light');
    }
    await this.page.setViewportSize({ width: 1280, height: 720 });
  }

  /** axe (WCAG 2.1 AA) on the docked panel only. */
  async expectPanelAccessible(where: string) {
    await this.page.waitForTimeout(400);
    const result = await new AxeBuilder({ page: this.page }).include('[data-testid="side-dock"]').withTags(TAGS).analyze();
    const report = result.violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary}`).join('\n')}`);
    expect(report, `axe violations on the lesson panel (${where})`).toEqual([]);
  }
}
