namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// What <see cref="CommandLineParser"/> read: the command, each option's values as typed, and every shape error
/// (unknown option, missing value, …). Values are not validated here; the commands do that and name the option.
/// </summary>
internal sealed class ParsedCommandLine
{
    private readonly Dictionary<CliOption, List<string>> _given = [];
    private readonly List<string> _errors = [];
    private readonly List<(CliOption Option, string Value)> _sequence = [];

    /// <summary>The command named on the line; null when none (or an unknown one) was.</summary>
    public CliCommand? Command { get; set; }

    public bool HelpRequested { get; set; }

    public bool VersionRequested { get; set; }

    public bool Verbose { get; set; }

    /// <summary>Each problem with the line's shape, in the order met, without duplicates.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary><c>--json</c> was given to a command that has it, so even a parse error is reported as JSON.</summary>
    public bool WantsJson => Command?.Accepts(CliOptions.Json) == true && Has(CliOptions.Json);

    public bool Has(CliOption option) => _given.ContainsKey(option);

    /// <summary>The value of a one-value option, its default when not given.</summary>
    public string? Value(CliOption option) => _given.TryGetValue(option, out List<string>? values) && values.Count > 0 ? values[^1] : option.DefaultValue;

    /// <summary>Every value of a repeatable option, in the order given; empty when not given.</summary>
    public IReadOnlyList<string> Values(CliOption option) => _given.TryGetValue(option, out List<string>? values) ? values : [];

    /// <summary>Records one occurrence; <paramref name="value"/> is null for a switch (or a value found missing).</summary>
    public void Add(CliOption option, string? value)
    {
        if (!_given.TryGetValue(option, out List<string>? values))
        {
            values = [];
            _given.Add(option, values);
        }

        if (value is not null)
        {
            values.Add(value);
            _sequence.Add((option, value));
        }
    }

    /// <summary>Every value of the given options, in the order typed across them (agent identities keep their mixed order).</summary>
    public IReadOnlyList<(CliOption Option, string Value)> Occurrences(params CliOption[] options)
    {
        var found = new List<(CliOption Option, string Value)>();
        foreach ((CliOption option, string value) in _sequence)
        {
            if (Array.IndexOf(options, option) >= 0)
            {
                found.Add((option, value));
            }
        }

        return found;
    }

    public void AddError(string error)
    {
        if (!_errors.Contains(error))
        {
            _errors.Add(error);
        }
    }
}
