using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Json;
using static AuroraSoc.NetlinkIsolation.Json.JsonFieldReader;

namespace AuroraSoc.NetlinkIsolation.Handoff;

// One message of the hand-over protocol; GuardRequest.cs describes the protocol as a whole.

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
