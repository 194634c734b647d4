namespace AuroraSoc.NetlinkIsolation.Testing;

/// <summary>
/// What a test needs (root, a tool, network namespaces, nf_tables) is not available here: a skip, or — when
/// <see cref="Requirements.PrivilegedRequired"/> — a failure. A skip's message starts with
/// <see cref="DynamicSkipToken"/>, xunit v3's contract for an exception that skips the test instead of failing it
/// (Xunit.v3.DynamicSkipToken: "any exception message that starts with this"), so this library skips tests without
/// referencing xunit, and the demo that uses its namespaces does not depend on xunit either.
/// </summary>
public sealed class PrerequisiteUnavailableException : Exception
{
    /// <summary>The value of Xunit.v3.DynamicSkipToken.Value; the text after it is the skip reason.</summary>
    public const string DynamicSkipToken = "$XunitDynamicSkip$";

    public PrerequisiteUnavailableException()
        : this("a test prerequisite is unavailable")
    {
    }

    /// <summary>A failure (not a skip) naming <paramref name="message"/>.</summary>
    public PrerequisiteUnavailableException(string message)
        : base(message)
    {
        Reason = message;
    }

    public PrerequisiteUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    private PrerequisiteUnavailableException(string reason, bool skip)
        : base(skip ? DynamicSkipToken + reason : reason)
    {
        Reason = reason;
        IsSkip = skip;
    }

    /// <summary>Why the test cannot run here.</summary>
    public string Reason { get; }

    /// <summary>True when the test runner reports the test as skipped rather than failed.</summary>
    public bool IsSkip { get; }

    /// <summary>Skips the test with <paramref name="reason"/>.</summary>
    public static PrerequisiteUnavailableException Skip(string reason) => new(reason, skip: true);

    /// <summary>Fails the test with <paramref name="reason"/>.</summary>
    public static PrerequisiteUnavailableException Failure(string reason) => new(reason, skip: false);
}
