using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.Json;

/// <summary>Reads one value of a JSON field for the hand-written codecs (intent file, guard hand-over).</summary>
/// <remarks>
/// A value of the wrong type is refused with a <see cref="FormatException"/> naming the field's path, where the
/// serializer's or a <c>JsonElement</c>'s getters would throw without saying which field; malformed JSON stays the
/// reader's <see cref="JsonException"/>.
/// </remarks>
internal static class JsonFieldReader
{
    /// <summary>Reads a whole document that is one JSON object; <paramref name="readObject"/> starts on its start and ends on its end.</summary>
    /// <exception cref="JsonException">The bytes are not JSON, or hold more than one value.</exception>
    /// <exception cref="FormatException">The value is not an object, or <paramref name="readObject"/> refused it.</exception>
    public static T ReadDocument<T>(ReadOnlySpan<byte> utf8, JsonObjectReader<T> readObject)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("not a JSON object");
        }

        T value = readObject(ref reader);
        if (reader.Read())
        {
            throw new FormatException("more than one JSON value");
        }

        return value;
    }

    /// <summary>An array of values each read by <paramref name="readItem"/>, which is given the item's path (<c>checks[2]</c>).</summary>
    public static List<T> ReadArray<T>(ref Utf8JsonReader reader, string path, string expected, JsonValueReader<T> readItem)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Mistyped(path, expected);
        }

        var values = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(readItem(ref reader, $"{path}[{values.Count}]"));
        }

        return values;
    }

    public static List<string> ReadStrings(ref Utf8JsonReader reader, string path)
        => ReadArray(ref reader, path, "an array of strings", ReadString);

    public static string ReadString(ref Utf8JsonReader reader, string path)
        => reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Mistyped(path, "a string");

    public static int ReadInt32(ref Utf8JsonReader reader, string path)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value) ? value : throw Mistyped(path, "a whole number from -2147483648 to 2147483647");

    public static long ReadInt64(ref Utf8JsonReader reader, string path)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) ? value : throw Mistyped(path, "a whole number from -9223372036854775808 to 9223372036854775807");

    public static bool ReadBoolean(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Mistyped(path, "true or false"),
    };

    public static FormatException Missing(string path) => new($"field {path} is missing");

    public static FormatException Mistyped(string path, string expected) => new($"field {path} must be {expected}");
}
