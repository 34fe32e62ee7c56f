// Get-Task and Wait-Task: the vSphere tasks the console started (with -RunAsync or by a module function), their
// state as the lab's command finished them, and waiting for them. A failed task's error is the lab's own reason.
import type { CmdletDef, TaskRecord } from '../cmdlet';
import { taskObject } from '../lab-objects';
import { refusalRecord } from '../refusal-record';
import { PsObject, toPsString } from '../ps-values';
import { givenOrPiped } from './resolve';
import { cmdlet, MODULE, SERVER } from './define';

function tasksGiven(values: unknown[], all: TaskRecord[]): (TaskRecord | string)[] {
  return values.flat().map((v) => {
    const id = v instanceof PsObject ? toPsString(v.get('Id')) : toPsString(v);
    return all.find((t) => t.id.toLowerCase() === id.toLowerCase()) ?? id;
  });
}

const getTask = cmdlet({
  name: 'Get-Task',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Retrieves the tasks this console started, with their state (Running, Success, Error).',
  params: [
    { name: 'Status', type: 'string' },
    { name: 'Id', type: 'strings' },
    SERVER,
  ],
  async run(ctx) {
    let tasks = ctx.session.tasks;
    if (ctx.args.has('Status')) tasks = tasks.filter((t) => t.state.toLowerCase() === (ctx.args.get('Status') as string).toLowerCase());
    if (ctx.args.has('Id')) {
      const ids = (ctx.args.get('Id') as string[]).map((i) => i.toLowerCase());
      tasks = tasks.filter((t) => ids.includes(t.id.toLowerCase()));
    }
    for (const t of tasks) ctx.write(taskObject(t));
  },
});

const waitTask = cmdlet({
  name: 'Wait-Task',
  module: MODULE.core,
  synopsis: 'Waits for tasks to finish; a failed task is reported with its reason.',
  params: [{ name: 'Task', type: 'objects', position: 0, pipeline: true, mandatory: true }],
  async run(ctx) {
    const given = givenOrPiped(ctx, 'Task');
    for (const t of tasksGiven(given, ctx.session.tasks)) {
      if (typeof t === 'string') {
        ctx.writeError({ message: `Could not find Task with Id '${t}'.`, category: 'ObjectNotFound', errorId: 'Core_OutputHelper_WriteNotFoundError', exception: 'VimException', target: { name: t, type: 'String' } });
        continue;
      }
      const result = await t.done;
      if (!result.ok) ctx.writeError(refusalRecord(result, t.target));
    }
  },
});

export const TASK_CMDLETS: CmdletDef[] = [getTask, waitTask];
