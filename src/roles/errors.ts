/** A role problem, with where it comes from; the CLI prints it as one line. */
export class RoleError extends Error {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = "RoleError";
  }
}
