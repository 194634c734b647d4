namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// Reads <c>aurorasoc-isolate [-v] COMMAND [OPTION [VALUE]]...</c> against the commands' tables. Deliberately small:
/// no response files, no directives, no positional arguments, no bundling — every token is either a command, an
/// option of that command, or the value right after an option that takes one (even when it starts with <c>-</c>,
/// so <c>--netns-pid -5</c> is refused by the option's own check, naming it). <c>--name=value</c> works as well.
/// </summary>
internal static class CommandLineParser
{
    public static ParsedCommandLine Parse(IReadOnlyList<CliCommand> commands, IReadOnlyList<string> args)
    {
        var line = new ParsedCommandLine();
        int index = 0;

        // Before the command name: only the switches every command shares, and --version.
        for (; index < args.Count && line.Command is null; index++)
        {
            string token = args[index];
            if (CliOptions.Help.Matches(token))
            {
                line.HelpRequested = true;
            }
            else if (CliOptions.Verbose.Matches(token))
            {
                line.Verbose = true;
            }
            else if (CliOptions.Version.Matches(token))
            {
                line.VersionRequested = true;
            }
            else if (Find(commands, token) is { } command)
            {
                line.Command = command;
            }
            else if (IsOptionLike(token))
            {
                line.AddError($"unknown option '{token}'");
            }
            else
            {
                // What follows belongs to a command this program does not have; naming each of its tokens would bury
                // the one mistake.
                line.AddError($"unknown command '{token}': expected {CommandList(commands)}");
                return line;
            }
        }

        if (line.Command is not { } chosen)
        {
            if (!line.VersionRequested && line.Errors.Count == 0)
            {
                line.AddError($"no command given: expected {CommandList(commands)}");
            }

            return line;
        }

        if (line.VersionRequested)
        {
            line.AddError($"--version takes no command: '{CommandOutput.ProgramName} --version'");
            return line;
        }

        for (; index < args.Count; index++)
        {
            string token = args[index];
            (string name, string? inlineValue) = SplitInlineValue(token);
            CliOption? option = chosen.FindOption(name)
                ?? (CliOptions.Help.Matches(name) ? CliOptions.Help : CliOptions.Verbose.Matches(name) ? CliOptions.Verbose : null);
            if (option is null)
            {
                line.AddError(IsOptionLike(token) ? $"{chosen.Name} has no option '{name}'" : UnexpectedArgument(chosen, token));
                continue;
            }

            if (option.Values == OptionValues.None)
            {
                if (inlineValue is not null)
                {
                    line.AddError($"{option.Name} takes no value (got '{token}')");
                }
                else if (option == CliOptions.Help)
                {
                    line.HelpRequested = true;
                }
                else if (option == CliOptions.Verbose)
                {
                    line.Verbose = true;
                }
                else
                {
                    line.Add(option, value: null);
                }

                continue;
            }

            string? value = inlineValue ?? (index + 1 < args.Count ? args[++index] : null);
            if (value is null)
            {
                line.AddError($"{option.Name} needs a value ({option.ValueName})");
                line.Add(option, value: null);
            }
            else if (option.Values == OptionValues.One && line.Has(option))
            {
                line.AddError($"{option.Name} is given more than once; it takes one value");
            }
            else
            {
                line.Add(option, value);
            }
        }

        foreach (CliOption option in chosen.Options)
        {
            if (option.Required && !line.Has(option))
            {
                line.AddError($"{option.Name} is required");
            }
        }

        return line;
    }

    private static CliCommand? Find(IReadOnlyList<CliCommand> commands, string token)
    {
        foreach (CliCommand command in commands)
        {
            if (command.Name == token)
            {
                return command;
            }
        }

        return null;
    }

    /// <summary>A stray value is most often the second of a repeatable option given once: say how to repeat it.</summary>
    private static string UnexpectedArgument(CliCommand command, string token)
    {
        CliOption? repeatable = null;
        foreach (CliOption option in command.Options)
        {
            if (option.Values == OptionValues.Repeated)
            {
                repeatable = option;
                break;
            }
        }

        return repeatable is null
            ? $"unexpected argument '{token}'"
            : $"unexpected argument '{token}': give each value its own option, e.g. {repeatable.Name} A {repeatable.Name} B";
    }

    private static bool IsOptionLike(string token) => token.Length > 1 && token[0] == '-';

    /// <summary><c>--table=NAME</c> → (<c>--table</c>, <c>NAME</c>); anything else is a name alone.</summary>
    private static (string Name, string? Value) SplitInlineValue(string token)
    {
        int equals = token.StartsWith("--", StringComparison.Ordinal) ? token.IndexOf('=', StringComparison.Ordinal) : -1;
        return equals > 2 ? (token[..equals], token[(equals + 1)..]) : (token, null);
    }

    private static string CommandList(IReadOnlyList<CliCommand> commands)
    {
        string[] names = new string[commands.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = commands[i].Name;
        }

        return names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}
