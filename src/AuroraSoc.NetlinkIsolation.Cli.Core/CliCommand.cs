namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// One command's declarative table: its name, help, the options it accepts and what runs it. Adding a command is a
/// new <see cref="CliCommand"/> in <see cref="CliSyntax.Commands"/>; adding an option is one more entry in
/// <see cref="Options"/> — parsing, validation of the shape (value or not, once or repeated, required) and help follow.
/// </summary>
/// <param name="name">As typed: <c>isolate</c>.</param>
/// <param name="description">The first paragraph of its help, and its line in the root help.</param>
/// <param name="options">The options it accepts besides <c>--help</c> and <c>--verbose</c>, in help order.</param>
/// <param name="examples">Appended to its help: examples and exit codes.</param>
/// <param name="run">Runs it on a parsed command line, in the executable's environment, and returns the exit code.</param>
internal sealed class CliCommand(string name, string description, IReadOnlyList<CliOption> options, string examples, Func<ParsedCommandLine, CommandEnvironment, int> run)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReadOnlyList<CliOption> Options { get; } = options;

    public string Examples { get; } = examples;

    public int Run(ParsedCommandLine commandLine, CommandEnvironment environment) => run(commandLine, environment);

    /// <summary>Whether this command accepts <paramref name="option"/>.</summary>
    public bool Accepts(CliOption option)
    {
        foreach (CliOption accepted in Options)
        {
            if (accepted == option)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The option this token names, or null when this command has none by that name.</summary>
    public CliOption? FindOption(string token)
    {
        foreach (CliOption option in Options)
        {
            if (option.Matches(token))
            {
                return option;
            }
        }

        return null;
    }
}
