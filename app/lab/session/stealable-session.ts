// What a lesson's session and a scenario's share on top of ShownSession: the lab opens in this tab unless another tab
// has it; "Use it here instead" takes its Web Lock from that tab (a steal: the other tab then shows it was handed over);
// after an error the learner tries again. The sandbox's session hands over politely instead, so it is not one of these.
import { ShownSession } from './shown-session';

export abstract class StealableSession<S extends { status: string }> extends ShownSession<S> {
  protected openHere() {
    return this.acquireAndOpen('ifAvailable');
  }

  /** "Use it here instead": take the lab from the other tab. */
  takeOver() {
    void this.enqueue(() => this.acquireAndOpen('steal'));
  }

  /** After an error: open the lab again (a failed open leaves what is saved as it was). */
  retry() {
    void this.enqueue(async () => {
      if (this.state.status === 'error') await this.acquireAndOpen('ifAvailable');
    });
  }

  /** Takes the lock (`mode`) unless held, then opens the lab; says so in the state when another tab has it or it fails. */
  protected abstract acquireAndOpen(mode: 'ifAvailable' | 'steal'): Promise<void>;
}
