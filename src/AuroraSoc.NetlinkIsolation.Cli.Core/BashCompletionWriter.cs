using System.Text;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// The bash completion of aurorasoc-isolate (and aurorasoc-isolate-guard, the same command line), written from the
/// commands' tables like <see cref="ManPageWriter"/>: the package build writes it, so it offers every command and
/// option the parser accepts. What an option's value completes to follows from its value name: a word list for
/// <c>keep|strict</c>, directories for DIR, files for PATH and FILE, process ids for PID, users and groups for USER
/// and GROUP; nothing for the rest (endpoints, numbers, text). Needs bash-completion's <c>_init_completion</c>.
/// </summary>
internal static class BashCompletionWriter
{
    public static string Write()
    {
        string program = CommandOutput.ProgramName;
        string function = "_" + program.Replace('-', '_');
        var script = new StringBuilder();
        script.Append("# bash completion for ").Append(program).Append(" -*- shell-script -*-\n");
        script.Append("# Generated from the CLI's option table (src/AuroraSoc.NetlinkIsolation.Cli.Core, BashCompletionWriter).\n\n");
        script.Append(function).Append("()\n{\n");
        script.Append("    local cur prev words cword\n    _init_completion || return\n\n");

        var commandNames = new List<string>();
        foreach (CliCommand command in CliSyntax.Commands)
        {
            commandNames.Add(command.Name);
        }

        script.Append("    local command='' i\n    for ((i = 1; i < cword; i++)); do\n        case ${words[i]} in\n");
        script.Append("            ").Append(string.Join('|', commandNames)).Append(")\n");
        script.Append("                command=${words[i]}\n                break\n                ;;\n        esac\n    done\n\n");

        // The value of the option before the cursor.
        script.Append("    case $prev in\n");
        foreach (CliOption option in AllOptions())
        {
            if (option.ValueName is { } valueName)
            {
                script.Append("        ").Append(string.Join('|', Spellings(option))).Append(")\n");
                script.Append("            ").Append(ValueCompletion(valueName)).Append("\n            return\n            ;;\n");
            }
        }

        script.Append("    esac\n\n    local options\n    case $command in\n");
        foreach (CliCommand command in CliSyntax.Commands)
        {
            var words = new List<string>();
            foreach (CliOption option in command.Options)
            {
                words.AddRange(Spellings(option));
            }

            words.AddRange(Spellings(CliOptions.Help));
            words.AddRange(Spellings(CliOptions.Verbose));
            script.Append("        ").Append(command.Name).Append(")\n            options='").Append(string.Join(' ', words)).Append("'\n            ;;\n");
        }

        var rootWords = new List<string>(commandNames);
        rootWords.AddRange(Spellings(CliOptions.Help));
        rootWords.AddRange(Spellings(CliOptions.Verbose));
        rootWords.AddRange(Spellings(CliOptions.Version));
        script.Append("        *)\n            options='").Append(string.Join(' ', rootWords)).Append("'\n            ;;\n    esac\n");
        script.Append("    mapfile -t COMPREPLY < <(compgen -W \"$options\" -- \"$cur\")\n} &&\n");
        script.Append("    complete -F ").Append(function).Append(' ').Append(program).Append(' ').Append(program).Append("-guard\n\n");
        script.Append("# ex: filetype=sh\n");
        return script.ToString();
    }

    /// <summary>What completes the value named <paramref name="valueName"/> (cli.md's placeholders).</summary>
    internal static string ValueCompletion(string valueName)
    {
        ArgumentNullException.ThrowIfNull(valueName);
        if (valueName.Contains('|', StringComparison.Ordinal) && valueName.AsSpan().IndexOfAnyInRange('A', 'Z') < 0)
        {
            return $"mapfile -t COMPREPLY < <(compgen -W '{valueName.Replace('|', ' ')}' -- \"$cur\")";
        }

        return valueName switch
        {
            _ when valueName.Contains("DIR", StringComparison.Ordinal) => "_filedir -d",
            _ when valueName.Contains("PATH", StringComparison.Ordinal) || valueName.Contains("FILE", StringComparison.Ordinal) => "_filedir",
            _ when valueName.Contains("PID", StringComparison.Ordinal) => "_pids",
            _ when valueName.Contains("USER", StringComparison.Ordinal) => "mapfile -t COMPREPLY < <(compgen -u -- \"$cur\")",
            _ when valueName.Contains("GROUP", StringComparison.Ordinal) => "mapfile -t COMPREPLY < <(compgen -g -- \"$cur\")",
            _ => ":",
        };
    }

    /// <summary>Every option of every command, each once, in first-seen order.</summary>
    internal static List<CliOption> AllOptions()
    {
        var all = new List<CliOption>();
        foreach (CliCommand command in CliSyntax.Commands)
        {
            foreach (CliOption option in command.Options)
            {
                if (!all.Contains(option))
                {
                    all.Add(option);
                }
            }
        }

        return all;
    }

    private static string[] Spellings(CliOption option) => [option.Name, .. option.Aliases];
}
