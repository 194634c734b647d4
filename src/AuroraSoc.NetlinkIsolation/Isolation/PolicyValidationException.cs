namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>An isolation policy input that was refused before any kernel call: names the field and the value.</summary>
public sealed class PolicyValidationException : ArgumentException
{
    /// <summary>The policy input <paramref name="field"/> with value <paramref name="value"/> is refused because of <paramref name="reason"/>.</summary>
    /// <param name="field">The input at fault, e.g. "collector".</param>
    /// <param name="value">The refused value, as given.</param>
    /// <param name="reason">Why it is refused.</param>
    public PolicyValidationException(string field, string? value, string reason)
        : base($"invalid {field} '{value}': {reason}")
    {
        Field = field;
        Value = value;
        Reason = reason;
    }

    /// <summary>An invalid policy, with no further detail.</summary>
    public PolicyValidationException()
        : this("policy", null, "invalid")
    {
    }

    /// <summary>An invalid policy, as <paramref name="message"/> says.</summary>
    public PolicyValidationException(string message)
        : this("policy", null, message)
    {
    }

    /// <summary>An invalid policy, as <paramref name="message"/> says, caused by <paramref name="innerException"/>.</summary>
    public PolicyValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "policy";
        Reason = message;
    }

    /// <summary>The policy input at fault, e.g. "collector", "dns-server", "table".</summary>
    public string Field { get; }

    /// <summary>The refused value as given; null when there was none.</summary>
    public string? Value { get; }

    /// <summary>Why the value is refused, e.g. "not a unicast address".</summary>
    public string Reason { get; }
}
