export function chromiumExecutable(): string | undefined | null;
export const chromiumArgs: string[];
