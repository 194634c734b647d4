namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>An isolation policy input that was refused before any kernel call: names the field and the value.</summary>
public sealed class PolicyValidationException : ArgumentException
{
    public PolicyValidationException(string field, string? value, string reason)
        : base($"invalid {field} '{value}': {reason}")
    {
        Field = field;
        Value = value;
        Reason = reason;
    }

    public PolicyValidationException()
        : this("policy", null, "invalid")
    {
    }

    public PolicyValidationException(string message)
        : this("policy", null, message)
    {
    }

    public PolicyValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "policy";
        Reason = message;
    }

    /// <summary>The policy input at fault, e.g. "collector", "dns-server", "table".</summary>
    public string Field { get; }

    public string? Value { get; }

    public string Reason { get; }
}
