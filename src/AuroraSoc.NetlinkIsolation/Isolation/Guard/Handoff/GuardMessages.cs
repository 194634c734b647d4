namespace AuroraSoc.NetlinkIsolation.Isolation;

// The hand-over protocol between a command and the guard (guard.md, "guard"): over a Unix stream socket, one request
// and one response per connection, each a frame of a 4-byte big-endian length followed by that many bytes of UTF-8
// JSON. Every frame carries the protocol version; a guard answers a version it does not speak with an error.

/// <summary>A command's request: isolate (with the intent), unisolate (target and table), or restore.</summary>
internal sealed class GuardRequest
{
    public required int Version { get; init; }

    /// <summary><see cref="GuardOperations"/>: isolate, unisolate, restore.</summary>
    public required string Operation { get; init; }

    /// <summary>The intent to record and apply (isolate); the same document as an intent file.</summary>
    public IntentDocument? Intent { get; init; }

    public string? Target { get; init; }

    public string? Table { get; init; }
}

/// <summary>The guard's answer: what the operation did, or why it failed.</summary>
internal sealed class GuardResponse
{
    public required int Version { get; init; }

    public required bool Ok { get; init; }

    public GuardIsolatedReply? Isolated { get; init; }

    public List<GuardRestoredReply>? Restored { get; init; }

    public GuardErrorReply? Error { get; init; }
}

/// <summary>An <see cref="IsolationResult"/>.</summary>
internal sealed class GuardIsolatedReply
{
    public required string Table { get; init; }

    public required int Rules { get; init; }

    public required int Chains { get; init; }

    public required int BatchBytes { get; init; }

    public required long ElapsedMicroseconds { get; init; }
}

/// <summary>A <see cref="RestoreResult"/>.</summary>
internal sealed class GuardRestoredReply
{
    public required string Target { get; init; }

    public string? Table { get; init; }

    /// <summary>restored, skipped-namespace-gone or failed.</summary>
    public required string Outcome { get; init; }

    public string? Error { get; init; }

    public required string FilePath { get; init; }
}

/// <summary>A failure, with every field the command needs to report it exactly as if it had acted itself.</summary>
internal sealed class GuardErrorReply
{
    /// <summary><see cref="GuardErrorTypes"/>: isolation, intent-store, refused, protocol, internal.</summary>
    public required string Type { get; init; }

    public required string Message { get; init; }

    /// <summary>The <see cref="IsolationOperation"/> name (isolation errors).</summary>
    public string? Operation { get; init; }

    /// <summary>The <see cref="IsolationErrorKind"/> name (isolation errors).</summary>
    public string? Kind { get; init; }

    public int Errno { get; init; }

    /// <summary>The <see cref="IsolationState"/> name found after the failure, if probed.</summary>
    public string? StateAfter { get; init; }

    public string? KernelMessage { get; init; }

    public string? FailingMessageType { get; init; }

    public int FailingMessageIndex { get; init; } = -1;

    public string? FailingAttribute { get; init; }

    /// <summary>The file concerned (intent-store errors).</summary>
    public string? Path { get; init; }
}

/// <summary>The operations a guard serves.</summary>
internal static class GuardOperations
{
    public const int ProtocolVersion = 1;
    public const string Isolate = "isolate";
    public const string Unisolate = "unisolate";
    public const string Restore = "restore";
}

/// <summary>What kind of failure a <see cref="GuardErrorReply"/> carries.</summary>
internal static class GuardErrorTypes
{
    public const string Isolation = "isolation";
    public const string IntentStore = "intent-store";
    public const string Refused = "refused";
    public const string Protocol = "protocol";
    public const string Internal = "internal";
}
