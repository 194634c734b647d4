using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>The two shapes of an optional key in the reports: always present (null when unknown), or left out.</summary>
internal static class JsonWriterExtensions
{
    public static void WriteNumberOrNull(this Utf8JsonWriter json, string key, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(key, number);
        }
        else
        {
            json.WriteNull(key);
        }
    }

    public static void WriteBooleanOrNull(this Utf8JsonWriter json, string key, bool? value)
    {
        if (value is { } known)
        {
            json.WriteBoolean(key, known);
        }
        else
        {
            json.WriteNull(key);
        }
    }

    public static void WriteStringIfKnown(this Utf8JsonWriter json, string key, string? value)
    {
        if (value is not null)
        {
            json.WriteString(key, value);
        }
    }

    public static void WriteNumberIfKnown(this Utf8JsonWriter json, string key, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(key, number);
        }
    }
}
