/**
 * The smallest ReactiveControllerHost, for testing one controller alone: it keeps the controllers
 * added to it and counts the renders they asked for.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class TestHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
