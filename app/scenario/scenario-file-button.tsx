'use client';
// "Open a scenario file…": a JSON file read in the browser and checked as a link is; a bad one is named, nothing changes.
import { useId, useRef, useState } from 'react';
import type { ScenarioV2 } from '@/lib/scenario';
import { Button } from '../lab/components/ui/button';

export function ScenarioFileButton({ onScenario, variant = 'secondary' }: { onScenario: (scenario: ScenarioV2) => void; variant?: 'primary' | 'secondary' }) {
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<{ message: string; problems: string[] } | null>(null);
  const id = useId();
  const read = async (file: File) => {
    setProblem(null);
    const { scenarioFromFile, ScenarioLinkError } = await import('@/lib/scenario');
    try {
      onScenario(scenarioFromFile(new Uint8Array(await file.arrayBuffer())));
    } catch (error) {
      if (error instanceof ScenarioLinkError) setProblem({ message: error.message, problems: error.problems });
      else {
        console.error('keylab: reading a scenario file failed', error);
        setProblem({ message: 'This file could not be read.', problems: [] });
      }
    }
  };
  return (
    <div className="flex flex-col gap-1">
      <input
        ref={input}
        id={id}
        type="file"
        accept="application/json,.json"
        className="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="scenario-file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void read(file);
        }}
      />
      <Button variant={variant} onClick={() => input.current?.click()}>
        Open a scenario file…
      </Button>
      {problem ? (
        <div role="alert" data-testid="scenario-file-problem" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
          <p>{problem.message}</p>
          {problem.problems.length > 1 ? (
            <ul className="mt-1 list-disc pl-5">
              {problem.problems.slice(0, 8).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
