using System.Runtime.InteropServices;
using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.Isolation;

// The hand-over protocol between a command and the guard (guard.md, "guard"): over a Unix stream socket, one request
// and one response per connection, each a frame of a 4-byte big-endian length followed by that many bytes of UTF-8
// JSON (GuardFrames). Every frame carries the protocol version; a guard answers a version it does not speak with an
// error. Written with Utf8JsonWriter and read with JsonDocument, so the protocol adds no serializer metadata to the
// binary; the intent inside an isolate request is the intent file's own document.

/// <summary>A command's request: isolate (the intent and its options), unisolate (target and table), or restore.</summary>
internal sealed class GuardRequest
{
    public required int Version { get; init; }

    /// <summary><see cref="GuardOperations"/>: isolate, unisolate, restore.</summary>
    public required string Operation { get; init; }

    /// <summary>The intent to record and apply (isolate): policy, reason, resolved names, who and when.</summary>
    public IsolationIntent? Intent { get; init; }

    /// <summary>How the isolate proves and enforces itself (verification, cutting open connections).</summary>
    public IsolateOptions? Options { get; init; }

    /// <summary>Unisolate: the target whose table is deleted.</summary>
    public string? Target { get; init; }

    /// <summary>Unisolate: the table deleted.</summary>
    public string? Table { get; init; }

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("version", Version);
        json.WriteString("operation", Operation);
        if (Intent is not null)
        {
            json.WritePropertyName("intent");
            IntentDocumentJson.Write(json, IntentDocument.From(Intent));
        }

        if (Options is not null)
        {
            json.WriteStartObject("options");
            json.WriteBoolean("verifyCollectors", Options.VerifyCollectors);
            json.WriteNumber("verifyTimeoutMilliseconds", (long)Options.VerifyTimeout.TotalMilliseconds);
            json.WriteBoolean("cutOpenConnections", Options.CutOpenConnections);
            json.WriteEndObject();
        }

        GuardJson.WriteIfPresent(json, "target", Target);
        GuardJson.WriteIfPresent(json, "table", Table);
        json.WriteEndObject();
    }

    /// <summary>Reads a request; throws <see cref="JsonException"/> or <see cref="FormatException"/> naming what is malformed.</summary>
    public static GuardRequest Read(JsonElement root)
    {
        int version = GuardJson.Int32(root, "version");
        string operation = GuardJson.String(root, "operation") ?? throw new FormatException("no operation");
        if (version != GuardOperations.ProtocolVersion)
        {
            // Another release's fields may mean something else: the guard answers with the version it speaks.
            return new GuardRequest { Version = version, Operation = operation };
        }

        IsolationIntent? intent = null;
        if (root.TryGetProperty("intent", out JsonElement document) && document.ValueKind == JsonValueKind.Object)
        {
            intent = IntentDocumentJson.Parse(JsonMarshal.GetRawUtf8Value(document)).ToIntent();
        }

        IsolateOptions? options = null;
        if (root.TryGetProperty("options", out JsonElement given) && given.ValueKind == JsonValueKind.Object)
        {
            options = new IsolateOptions
            {
                VerifyCollectors = GuardJson.Boolean(given, "verifyCollectors"),
                VerifyTimeout = TimeSpan.FromMilliseconds(GuardJson.Int64(given, "verifyTimeoutMilliseconds")),
                CutOpenConnections = GuardJson.Boolean(given, "cutOpenConnections"),
            };
        }

        return new GuardRequest
        {
            Version = version,
            Operation = operation,
            Intent = intent,
            Options = options,
            Target = GuardJson.String(root, "target"),
            Table = GuardJson.String(root, "table"),
        };
    }
}

/// <summary>The guard's answer: what the operation did, or why it failed.</summary>
internal sealed class GuardResponse
{
    public required int Version { get; init; }

    public required bool Ok { get; init; }

    /// <summary>Isolate: what the transaction installed, the collector checks and the connections cut.</summary>
    public IsolationResult? Isolated { get; init; }

    /// <summary>Restore: one result per intent file.</summary>
    public IReadOnlyList<RestoreResult>? Restored { get; init; }

    public GuardErrorReply? Error { get; init; }

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("version", Version);
        json.WriteBoolean("ok", Ok);
        if (Isolated is { } result)
        {
            json.WriteStartObject("isolated");
            json.WriteString("table", result.TableName);
            json.WriteNumber("rules", result.RuleCount);
            json.WriteNumber("chains", result.ChainCount);
            json.WriteNumber("batchBytes", result.BatchBytes);
            json.WriteNumber("elapsedMicroseconds", result.ElapsedMicroseconds);
            GuardJson.WriteChecks(json, "verified", result.Verified);
            json.WriteStartObject("sessionsCut");
            json.WriteNumber("examined", result.SessionsCut.Examined);
            json.WriteNumber("destroyed", result.SessionsCut.Destroyed);
            GuardJson.WriteIfPresent(json, "warning", result.SessionsCut.Warning);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        if (Restored is not null)
        {
            json.WriteStartArray("restored");
            foreach (RestoreResult restored in Restored)
            {
                json.WriteStartObject();
                json.WriteString("target", restored.Target);
                GuardJson.WriteIfPresent(json, "table", restored.Table);
                json.WriteString("outcome", restored.Outcome.ToString()); // the enum's name, like the error's kind and operation
                GuardJson.WriteIfPresent(json, "error", restored.Error);
                json.WriteString("filePath", restored.FilePath);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (Error is not null)
        {
            json.WritePropertyName("error");
            Error.WriteTo(json);
        }

        json.WriteEndObject();
    }

    /// <summary>Reads a response; throws <see cref="JsonException"/> or <see cref="FormatException"/> naming what is malformed.</summary>
    public static GuardResponse Read(JsonElement root)
    {
        IsolationResult? isolated = null;
        if (root.TryGetProperty("isolated", out JsonElement result) && result.ValueKind == JsonValueKind.Object)
        {
            JsonElement cut = result.GetProperty("sessionsCut");
            isolated = new IsolationResult(
                GuardJson.String(result, "table") ?? throw new FormatException("isolated: no table"),
                GuardJson.Int32(result, "rules"),
                GuardJson.Int32(result, "chains"),
                GuardJson.Int32(result, "batchBytes"),
                GuardJson.Int64(result, "elapsedMicroseconds"))
            {
                Verified = GuardJson.ReadChecks(result, "verified"),
                SessionsCut = new SessionCutResult(GuardJson.Int32(cut, "examined"), GuardJson.Int32(cut, "destroyed"), GuardJson.String(cut, "warning")),
            };
        }

        List<RestoreResult>? restored = null;
        if (root.TryGetProperty("restored", out JsonElement results) && results.ValueKind == JsonValueKind.Array)
        {
            restored = [.. results.EnumerateArray().Select(r => new RestoreResult(
                GuardJson.String(r, "target") ?? throw new FormatException("restored: no target"),
                GuardJson.String(r, "table"),
                Enum.TryParse(GuardJson.String(r, "outcome"), out RestoreOutcome outcome) ? outcome : RestoreOutcome.Failed,
                GuardJson.String(r, "error"),
                GuardJson.String(r, "filePath") ?? string.Empty))];
        }

        return new GuardResponse
        {
            Version = GuardJson.Int32(root, "version"),
            Ok = GuardJson.Boolean(root, "ok"),
            Isolated = isolated,
            Restored = restored,
            Error = root.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object ? GuardErrorReply.Read(error) : null,
        };
    }
}

/// <summary>A failure, with every field the command needs to report it exactly as if it had acted itself.</summary>
internal sealed class GuardErrorReply
{
    /// <summary><see cref="GuardErrorTypes"/>: isolation, invalid-policy, intent-store, refused, protocol, internal.</summary>
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

    /// <summary>The policy field at fault (invalid-policy errors).</summary>
    public string? Field { get; init; }

    /// <summary>The value at fault (invalid-policy errors).</summary>
    public string? Value { get; init; }

    /// <summary>Why the value is at fault (invalid-policy errors).</summary>
    public string? Reason { get; init; }

    /// <summary>Collector verification failed: whether the previous state was restored.</summary>
    public bool RolledBack { get; init; }

    /// <summary>Collector verification failed: every connection attempt.</summary>
    public IReadOnlyList<CollectorCheck> CollectorChecks { get; init; } = [];

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", Type);
        json.WriteString("message", Message);
        GuardJson.WriteIfPresent(json, "operation", Operation);
        GuardJson.WriteIfPresent(json, "kind", Kind);
        json.WriteNumber("errno", Errno);
        GuardJson.WriteIfPresent(json, "stateAfter", StateAfter);
        GuardJson.WriteIfPresent(json, "kernelMessage", KernelMessage);
        GuardJson.WriteIfPresent(json, "failingMessageType", FailingMessageType);
        json.WriteNumber("failingMessageIndex", FailingMessageIndex);
        GuardJson.WriteIfPresent(json, "failingAttribute", FailingAttribute);
        GuardJson.WriteIfPresent(json, "path", Path);
        GuardJson.WriteIfPresent(json, "field", Field);
        GuardJson.WriteIfPresent(json, "value", Value);
        GuardJson.WriteIfPresent(json, "reason", Reason);
        json.WriteBoolean("rolledBack", RolledBack);
        GuardJson.WriteChecks(json, "collectorChecks", CollectorChecks);
        json.WriteEndObject();
    }

    public static GuardErrorReply Read(JsonElement error) => new()
    {
        Type = GuardJson.String(error, "type") ?? GuardErrorTypes.Protocol,
        Message = GuardJson.String(error, "message") ?? "the guard failed without saying why",
        Operation = GuardJson.String(error, "operation"),
        Kind = GuardJson.String(error, "kind"),
        Errno = GuardJson.Int32(error, "errno"),
        StateAfter = GuardJson.String(error, "stateAfter"),
        KernelMessage = GuardJson.String(error, "kernelMessage"),
        FailingMessageType = GuardJson.String(error, "failingMessageType"),
        FailingMessageIndex = error.TryGetProperty("failingMessageIndex", out _) ? GuardJson.Int32(error, "failingMessageIndex") : -1,
        FailingAttribute = GuardJson.String(error, "failingAttribute"),
        Path = GuardJson.String(error, "path"),
        Field = GuardJson.String(error, "field"),
        Value = GuardJson.String(error, "value"),
        Reason = GuardJson.String(error, "reason"),
        RolledBack = GuardJson.Boolean(error, "rolledBack"),
        CollectorChecks = GuardJson.ReadChecks(error, "collectorChecks"),
    };
}

/// <summary>The operations a guard serves.</summary>
internal static class GuardOperations
{
    /// <summary>2: isolate carries its options, and its result the collector checks and the connections cut.</summary>
    public const int ProtocolVersion = 2;
    public const string Isolate = "isolate";
    public const string Unisolate = "unisolate";
    public const string Restore = "restore";
}

/// <summary>What kind of failure a <see cref="GuardErrorReply"/> carries.</summary>
internal static class GuardErrorTypes
{
    public const string Isolation = "isolation";
    public const string InvalidPolicy = "invalid-policy";
    public const string IntentStore = "intent-store";
    public const string Refused = "refused";
    public const string Protocol = "protocol";
    public const string Internal = "internal";
}
