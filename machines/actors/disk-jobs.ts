// The bridge between a command and the VM actor's invoked `diskJob` promise actor: the command registers the work
// (which holds CryptoKeys, so it cannot travel in the actor's serialisable input) under a job id; the actor runs it.
//
// A restored snapshot re-invokes the job with the same id in a new tab, where nothing is registered: the job fails at
// once and the VM actor goes to `interrupted`, from which resumeInterrupted() starts a new job. That is exactly what a
// closed tab means for a long disk operation.

interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const jobs = new Map<string, Job>();

export class DiskJobLostError extends Error {
  constructor(jobId: string) {
    super(`Disk job ${jobId} was interrupted (the lab was closed while it ran); resume it.`);
    this.name = 'DiskJobLostError';
  }
}

/** Registers work under a new job id; the promise settles when the VM actor has run it. */
export function registerDiskJob<T>(run: () => Promise<T>): { jobId: string; result: Promise<T> } {
  const jobId = crypto.randomUUID();
  const result = new Promise<T>((resolve, reject) => {
    jobs.set(jobId, { run, resolve: resolve as (value: unknown) => void, reject });
  });
  return { jobId, result };
}

/** Runs a registered job (called by the diskJob promise actor); rejects with DiskJobLostError when there is none. */
export async function runDiskJob(jobId: string): Promise<void> {
  const job = jobs.get(jobId);
  jobs.delete(jobId);
  if (!job) throw new DiskJobLostError(jobId);
  try {
    job.resolve(await job.run());
  } catch (error) {
    job.reject(error);
    throw error;
  }
}

/** Forgets a job that will never be started (its actor refused it). */
export function dropDiskJob(jobId: string, reason: unknown): void {
  const job = jobs.get(jobId);
  jobs.delete(jobId);
  job?.reject(reason);
}
