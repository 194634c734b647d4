using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Json;
using static AuroraSoc.NetlinkIsolation.Json.JsonFieldReader;

namespace AuroraSoc.NetlinkIsolation.Handoff;

// The hand-over protocol between a command and the guard (guard.md, "guard"): over a Unix stream socket, one request
// and one response per connection, each a frame of a 4-byte big-endian length followed by that many bytes of UTF-8
// JSON (GuardFrames). Every frame carries the protocol version; a guard answers a version it does not speak with an
// error. Written with Utf8JsonWriter and read forward-only with Utf8JsonReader (JsonFieldReader), so the protocol adds
// neither serializer metadata nor JsonDocument to the binary; the intent inside an isolate request is the intent file's
// own document, read in place by IntentDocumentJson. Reading is strict where a guess would be worse than a refusal: a
// required field missing, any field of the wrong type or given twice is a FormatException naming the field; a missing
// optional field reads as its default; fields of a later release are skipped.

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

    /// <summary>
    /// True when the target is the caller's own network namespace (no namespace path given): the guard then records
    /// and acts on the namespace of the calling process as it finds it, never on the word <c>host</c> alone.
    /// </summary>
    public bool CallerNamespace { get; init; }

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
        if (CallerNamespace)
        {
            json.WriteBoolean("callerNamespace", true);
        }

        json.WriteEndObject();
    }

    /// <summary>Reads a request; throws <see cref="JsonException"/> or <see cref="FormatException"/> naming what is malformed.</summary>
    public static GuardRequest Read(ReadOnlySpan<byte> json) => ReadDocument(json, ReadRequest);

    private static GuardRequest ReadRequest(ref Utf8JsonReader reader)
    {
        string operation = ReadOperation(reader, out int version);
        if (version != GuardOperations.ProtocolVersion)
        {
            // Another release's fields may mean something else: the guard answers with the version it speaks.
            reader.Skip();
            return new GuardRequest { Version = version, Operation = operation };
        }

        IsolationIntent? intent = null;
        IsolateOptions? options = null;
        string? target = null;
        string? table = null;
        bool callerNamespace = false;
        var fields = new JsonObjectFields(ref reader, string.Empty);
        while (fields.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "callerNamespace": callerNamespace = ReadBoolean(ref reader, name); break;
                case "intent": intent = reader.TokenType == JsonTokenType.StartObject ? IntentDocumentJson.Read(ref reader).ToIntent() : throw Mistyped(name, "an object"); break;
                case "options": options = ReadOptions(ref reader, name); break;
                case "target": target = ReadString(ref reader, name); break;
                case "table": table = ReadString(ref reader, name); break;
                default: reader.Skip(); break; // version and operation, read ahead; fields of a later release
            }
        }

        return new GuardRequest { Version = version, Operation = operation, Intent = intent, Options = options, Target = target, Table = table, CallerNamespace = callerNamespace };
    }

    /// <summary>
    /// The operation and the version (0 when missing), read ahead on a copy of the reader (a struct) without moving it:
    /// the other fields are read only when the version is this release's.
    /// </summary>
    private static string ReadOperation(Utf8JsonReader reader, out int version)
    {
        version = 0;
        string? operation = null;
        var fields = new JsonObjectFields(ref reader, string.Empty);
        while (fields.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "version": version = ReadInt32(ref reader, name); break;
                case "operation": operation = ReadString(ref reader, name); break;
                default: reader.Skip(); break;
            }
        }

        return operation ?? throw Missing("operation");
    }

    private static IsolateOptions ReadOptions(ref Utf8JsonReader reader, string path)
    {
        bool verifyCollectors = false;
        long verifyTimeoutMilliseconds = 0;
        bool cutOpenConnections = false;
        var fields = new JsonObjectFields(ref reader, path);
        while (fields.Next(ref reader, out string name))
        {
            string fieldPath = fields.PathOf(name);
            switch (name)
            {
                case "verifyCollectors": verifyCollectors = ReadBoolean(ref reader, fieldPath); break;
                case "verifyTimeoutMilliseconds": verifyTimeoutMilliseconds = ReadInt64(ref reader, fieldPath); break;
                case "cutOpenConnections": cutOpenConnections = ReadBoolean(ref reader, fieldPath); break;
                default: reader.Skip(); break;
            }
        }

        return new IsolateOptions
        {
            VerifyCollectors = verifyCollectors,
            VerifyTimeout = TimeSpan.FromMilliseconds(verifyTimeoutMilliseconds),
            CutOpenConnections = cutOpenConnections,
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
    public static GuardResponse Read(ReadOnlySpan<byte> json) => ReadDocument(json, ReadResponse);

    private static GuardResponse ReadResponse(ref Utf8JsonReader reader)
    {
        int version = 0;
        bool ok = false;
        IsolationResult? isolated = null;
        List<RestoreResult>? restored = null;
        GuardErrorReply? error = null;
        var fields = new JsonObjectFields(ref reader, string.Empty);
        while (fields.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "version": version = ReadInt32(ref reader, name); break;
                case "ok": ok = ReadBoolean(ref reader, name); break;
                case "isolated": isolated = ReadIsolated(ref reader, name); break;
                case "restored": restored = ReadArray(ref reader, name, "an array of restore results", ReadRestored); break;
                case "error": error = GuardErrorReply.Read(ref reader, name); break;
                default: reader.Skip(); break;
            }
        }

        return new GuardResponse { Version = version, Ok = ok, Isolated = isolated, Restored = restored, Error = error };
    }

    private static IsolationResult ReadIsolated(ref Utf8JsonReader reader, string path)
    {
        string? table = null;
        int rules = 0;
        int chains = 0;
        int batchBytes = 0;
        long elapsedMicroseconds = 0;
        List<CollectorCheck> verified = [];
        SessionCutResult? sessionsCut = null;
        var fields = new JsonObjectFields(ref reader, path);
        while (fields.Next(ref reader, out string name))
        {
            string fieldPath = fields.PathOf(name);
            switch (name)
            {
                case "table": table = ReadString(ref reader, fieldPath); break;
                case "rules": rules = ReadInt32(ref reader, fieldPath); break;
                case "chains": chains = ReadInt32(ref reader, fieldPath); break;
                case "batchBytes": batchBytes = ReadInt32(ref reader, fieldPath); break;
                case "elapsedMicroseconds": elapsedMicroseconds = ReadInt64(ref reader, fieldPath); break;
                case "verified": verified = GuardJson.ReadChecks(ref reader, fieldPath); break;
                case "sessionsCut": sessionsCut = ReadSessionsCut(ref reader, fieldPath); break;
                default: reader.Skip(); break;
            }
        }

        return new IsolationResult(table ?? throw Missing(fields.PathOf("table")), rules, chains, batchBytes, elapsedMicroseconds)
        {
            Verified = verified,
            SessionsCut = sessionsCut ?? throw Missing(fields.PathOf("sessionsCut")),
        };
    }

    private static SessionCutResult ReadSessionsCut(ref Utf8JsonReader reader, string path)
    {
        int examined = 0;
        int destroyed = 0;
        string? warning = null;
        var fields = new JsonObjectFields(ref reader, path);
        while (fields.Next(ref reader, out string name))
        {
            string fieldPath = fields.PathOf(name);
            switch (name)
            {
                case "examined": examined = ReadInt32(ref reader, fieldPath); break;
                case "destroyed": destroyed = ReadInt32(ref reader, fieldPath); break;
                case "warning": warning = ReadString(ref reader, fieldPath); break;
                default: reader.Skip(); break;
            }
        }

        return new SessionCutResult(examined, destroyed, warning);
    }

    /// <summary>One intent file's result; an outcome this release does not name reads as <see cref="RestoreOutcome.Failed"/>.</summary>
    private static RestoreResult ReadRestored(ref Utf8JsonReader reader, string path)
    {
        string? target = null;
        string? table = null;
        string? outcome = null;
        string? error = null;
        string? filePath = null;
        var fields = new JsonObjectFields(ref reader, path);
        while (fields.Next(ref reader, out string name))
        {
            string fieldPath = fields.PathOf(name);
            switch (name)
            {
                case "target": target = ReadString(ref reader, fieldPath); break;
                case "table": table = ReadString(ref reader, fieldPath); break;
                case "outcome": outcome = ReadString(ref reader, fieldPath); break;
                case "error": error = ReadString(ref reader, fieldPath); break;
                case "filePath": filePath = ReadString(ref reader, fieldPath); break;
                default: reader.Skip(); break;
            }
        }

        return new RestoreResult(
            target ?? throw Missing(fields.PathOf("target")),
            table,
            Enum.TryParse(outcome, out RestoreOutcome parsed) ? parsed : RestoreOutcome.Failed,
            error,
            filePath ?? string.Empty);
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

    /// <summary>Reads what <see cref="WriteTo"/> wrote; without a type it is a protocol failure, without a message one that says so.</summary>
    public static GuardErrorReply Read(ref Utf8JsonReader reader, string path)
    {
        string? type = null;
        string? message = null;
        string? operation = null;
        string? kind = null;
        int errno = 0;
        string? stateAfter = null;
        string? kernelMessage = null;
        string? failingMessageType = null;
        int failingMessageIndex = -1;
        string? failingAttribute = null;
        string? filePath = null;
        string? field = null;
        string? value = null;
        string? reason = null;
        bool rolledBack = false;
        List<CollectorCheck> collectorChecks = [];
        var fields = new JsonObjectFields(ref reader, path);
        while (fields.Next(ref reader, out string name))
        {
            string fieldPath = fields.PathOf(name);
            switch (name)
            {
                case "type": type = ReadString(ref reader, fieldPath); break;
                case "message": message = ReadString(ref reader, fieldPath); break;
                case "operation": operation = ReadString(ref reader, fieldPath); break;
                case "kind": kind = ReadString(ref reader, fieldPath); break;
                case "errno": errno = ReadInt32(ref reader, fieldPath); break;
                case "stateAfter": stateAfter = ReadString(ref reader, fieldPath); break;
                case "kernelMessage": kernelMessage = ReadString(ref reader, fieldPath); break;
                case "failingMessageType": failingMessageType = ReadString(ref reader, fieldPath); break;
                case "failingMessageIndex": failingMessageIndex = ReadInt32(ref reader, fieldPath); break;
                case "failingAttribute": failingAttribute = ReadString(ref reader, fieldPath); break;
                case "path": filePath = ReadString(ref reader, fieldPath); break;
                case "field": field = ReadString(ref reader, fieldPath); break;
                case "value": value = ReadString(ref reader, fieldPath); break;
                case "reason": reason = ReadString(ref reader, fieldPath); break;
                case "rolledBack": rolledBack = ReadBoolean(ref reader, fieldPath); break;
                case "collectorChecks": collectorChecks = GuardJson.ReadChecks(ref reader, fieldPath); break;
                default: reader.Skip(); break;
            }
        }

        return new GuardErrorReply
        {
            Type = type ?? GuardErrorTypes.Protocol,
            Message = message ?? "the guard failed without saying why",
            Operation = operation,
            Kind = kind,
            Errno = errno,
            StateAfter = stateAfter,
            KernelMessage = kernelMessage,
            FailingMessageType = failingMessageType,
            FailingMessageIndex = failingMessageIndex,
            FailingAttribute = failingAttribute,
            Path = filePath,
            Field = field,
            Value = value,
            Reason = reason,
            RolledBack = rolledBack,
            CollectorChecks = collectorChecks,
        };
    }
}

/// <summary>The operations a guard serves.</summary>
internal static class GuardOperations
{
    /// <summary>
    /// 3: isolate and unisolate say when their target is the caller's own namespace (no namespace path), so the guard
    /// derives the target from the caller's process instead of taking its word. (2: isolate carries its options, and
    /// its result the collector checks and the connections cut.)
    /// </summary>
    public const int ProtocolVersion = 3;
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
