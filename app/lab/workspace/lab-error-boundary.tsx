'use client';
// Catches any failure while the workspace renders, so a lab that cannot be drawn shows the lab's own error screen
// (Try again, Download, Reset) instead of the framework's generic "This page couldn't load" on every reload.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Told once per failure; the session then swaps the workspace for its error screen. */
  onError: (error: unknown) => void;
  /** Shown until the session has swapped the workspace out. */
  fallback: ReactNode;
}

export class LabErrorBoundary extends Component<Props, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('keylab: the workspace failed to render', error, info.componentStack);
    this.props.onError(error);
  }

  render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
