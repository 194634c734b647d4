namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// A command-line argument refused before any kernel call (exit 2). The message names the argument as the operator
/// typed it (<c>--collector</c>, not the policy field) and the offending value.
/// </summary>
internal sealed class InvalidArgumentException : Exception
{
    public InvalidArgumentException(string argument, string? value, string reason)
        : base(value is null ? $"invalid {argument}: {reason}" : $"invalid {argument} '{Printable(value)}': {reason}")
    {
        Argument = argument;
        Value = value;
    }

    public InvalidArgumentException()
        : this("argument", null, "invalid")
    {
    }

    public InvalidArgumentException(string message)
        : this("argument", null, message)
    {
    }

    public InvalidArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
        Argument = "argument";
    }

    /// <summary>The option as typed, e.g. <c>--collector</c>.</summary>
    public string Argument { get; }

    public string? Value { get; }

    /// <summary>The value as one line: control characters (a line break in a --reason) shown as <c>\uXXXX</c>.</summary>
    private static string Printable(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                text.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
