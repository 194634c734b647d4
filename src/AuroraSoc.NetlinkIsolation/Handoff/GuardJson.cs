using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Json;
using static AuroraSoc.NetlinkIsolation.Json.JsonFieldReader;

namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>The few writes and reads the hand-over messages share.</summary>
internal static class GuardJson
{
    public static void WriteIfPresent(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>Collector checks as <c>[{endpoint, ok, milliseconds, error}]</c>, the shape cli.md gives <c>verified</c>.</summary>
    public static void WriteChecks(Utf8JsonWriter json, string name, IReadOnlyList<CollectorCheck> checks)
    {
        json.WriteStartArray(name);
        foreach (CollectorCheck check in checks)
        {
            json.WriteStartObject();
            json.WriteString("endpoint", check.Endpoint.ToString());
            json.WriteBoolean("ok", check.Ok);
            json.WriteNumber("milliseconds", check.Milliseconds);
            WriteIfPresent(json, "error", check.Error);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Reads what <see cref="WriteChecks"/> wrote; an endpoint is required, a missing <c>ok</c>, time or error reads as false, 0 or none.</summary>
    public static List<CollectorCheck> ReadChecks(ref Utf8JsonReader reader, string path)
        => ReadArray(ref reader, path, "an array of collector checks", ReadCheck);

    private static CollectorCheck ReadCheck(ref Utf8JsonReader reader, string path)
    {
        string? endpoint = null;
        bool ok = false;
        long milliseconds = 0;
        string? error = null;
        var fields = new JsonObjectFields(ref reader, path);
        while (fields.Next(ref reader, out string name))
        {
            string fieldPath = fields.PathOf(name);
            switch (name)
            {
                case "endpoint": endpoint = ReadString(ref reader, fieldPath); break;
                case "ok": ok = ReadBoolean(ref reader, fieldPath); break;
                case "milliseconds": milliseconds = ReadInt64(ref reader, fieldPath); break;
                case "error": error = ReadString(ref reader, fieldPath); break;
                default: reader.Skip(); break;
            }
        }

        return new CollectorCheck(Endpoint.Parse(endpoint ?? throw Missing(fields.PathOf("endpoint"))), ok, milliseconds, error);
    }
}
