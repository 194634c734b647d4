using AuroraSoc.NetlinkIsolation.Cli.Core;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>Test rows drawn from the commands' own tables (<see cref="CliSyntax.Commands"/>), so a new option is covered by itself.</summary>
internal static class CliTable
{
    /// <summary>One row per (command, option) of the tables that <paramref name="include"/> accepts.</summary>
    public static TheoryData<string, string> Rows(Func<CliOption, bool> include)
    {
        var rows = new TheoryData<string, string>();
        foreach (CliCommand command in CliSyntax.Commands)
        {
            foreach (CliOption option in command.Options.Where(include))
            {
                rows.Add(command.Name, option.Name);
            }
        }

        return rows;
    }

    public static (CliCommand Command, CliOption Option) Find(string commandName, string optionName)
    {
        CliCommand command = CliSyntax.Commands.Single(c => c.Name == commandName);
        return (command, command.FindOption(optionName) ?? throw new InvalidOperationException($"{commandName} has no {optionName}"));
    }

    /// <summary>The command's required options other than <paramref name="option"/>, each with a valid value.</summary>
    public static IEnumerable<string> RequiredOptionsBesides(CliCommand command, CliOption option)
        => command.Options.Where(o => o.Required && o != option).SelectMany(o => new[] { o.Name, "192.0.2.10" });
}
