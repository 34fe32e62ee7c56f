// Ties lib/scenario's prelude command schema to the lab's LabCommand (lib/ may not import machines/, so the schema
// describes the commands structurally): a command added to LabCommand and not to the schema, or the other way round,
// or a field that differs, fails the type check here, naming the command. Nothing runs; the types are the test.
import type { PreludeCommand, PreludeStep } from '@/lib/scenario';
import type { LessonAction } from '@/lib/lessons/lesson-types';
import type { LabCommand } from '../lab-types';

type MissingFromPreludeSchema = Exclude<LabCommand['type'], PreludeCommand['type']>;
type NotALabCommand = Exclude<PreludeCommand['type'], LabCommand['type']>;
type Assignable<A, B> = [A] extends [B] ? true : false;

/** Add the command to lib/scenario/prelude-commands.ts when this fails: the error shows which. */
export const preludeNamesEveryCommand: [MissingFromPreludeSchema, NotALabCommand] extends [never, never]
  ? true
  : { addToPreludeSchema: MissingFromPreludeSchema; notALabCommand: NotALabCommand } = true;

/** Each command's fields agree both ways, and a prelude step is a lesson action (the runner runs both alike). */
export const preludeShapesAgree: [Assignable<PreludeCommand, LabCommand>, Assignable<LabCommand, PreludeCommand>, Assignable<PreludeStep, LessonAction>] = [
  true,
  true,
  true,
];
