using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Json;
using static AuroraSoc.NetlinkIsolation.Json.JsonFieldReader;

namespace AuroraSoc.NetlinkIsolation.Handoff;

// One message of the hand-over protocol; GuardRequest.cs describes the protocol as a whole.

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
