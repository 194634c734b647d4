namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// One option of cli.md as data: the parser, the help and the commands all read this one declaration. An option
/// shared by several commands is one instance (<see cref="CliOptions"/>), listed in each command's table.
/// </summary>
internal sealed class CliOption(string name, OptionValues values, string description)
{
    /// <summary>The long form, e.g. <c>--collector</c>; what error messages name.</summary>
    public string Name { get; } = name;

    public OptionValues Values { get; } = values;

    public string Description { get; } = description;

    /// <summary>Other spellings, e.g. <c>-v</c> for <c>--verbose</c>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>What help shows for the value, e.g. <c>ENDPOINT</c>; null for a switch.</summary>
    public string? ValueName { get; init; }

    /// <summary>The command is invalid input without it.</summary>
    public bool Required { get; init; }

    /// <summary>The value when the option is not given (help shows it).</summary>
    public string? DefaultValue { get; init; }

    public bool Matches(string token)
    {
        if (token == Name)
        {
            return true;
        }

        foreach (string alias in Aliases)
        {
            if (token == alias)
            {
                return true;
            }
        }

        return false;
    }
}
