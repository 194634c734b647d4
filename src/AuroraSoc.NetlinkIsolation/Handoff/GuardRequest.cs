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
