using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>The few reads and writes the hand-over messages share; a missing optional field reads as its default.</summary>
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

    public static IReadOnlyList<CollectorCheck> ReadChecks(JsonElement parent, string name)
        => parent.TryGetProperty(name, out JsonElement checks) && checks.ValueKind == JsonValueKind.Array
            ? [.. checks.EnumerateArray().Select(c => new CollectorCheck(
                Endpoint.Parse(String(c, "endpoint") ?? throw new FormatException($"{name}: no endpoint")),
                Boolean(c, "ok"),
                Int64(c, "milliseconds"),
                String(c, "error")))]
            : [];

    public static string? String(JsonElement parent, string name)
        => parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool Boolean(JsonElement parent, string name)
        => parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;

    public static int Int32(JsonElement parent, string name)
        => parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;

    public static long Int64(JsonElement parent, string name)
        => parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
