using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.Json;

/// <summary>Walks the properties of one JSON object with a forward-only <see cref="Utf8JsonReader"/>, refusing a name given twice.</summary>
/// <remarks>A field given twice is ambiguous (which one did the writer mean?), so it is refused rather than one copy silently winning.</remarks>
internal readonly struct JsonObjectFields
{
    private readonly HashSet<string> _seen;
    private readonly string _path;

    /// <param name="reader">On the object's <see cref="JsonTokenType.StartObject"/>.</param>
    /// <param name="path">The object's path (<c>policy</c>, <c>restored[0]</c>), empty for the document itself; errors name fields under it.</param>
    public JsonObjectFields(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw path.Length == 0 ? new FormatException("not a JSON object") : JsonFieldReader.Mistyped(path, "an object");
        }

        _seen = new HashSet<string>(StringComparer.Ordinal);
        _path = path;
    }

    /// <summary>The path of the field <paramref name="name"/> of this object, as errors name it.</summary>
    public string PathOf(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    /// <summary>Moves to the next property's value and names it; false at the object's end.</summary>
    public bool Next(ref Utf8JsonReader reader, out string name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        name = reader.GetString()!;
        if (!_seen.Add(name))
        {
            throw new FormatException($"field {PathOf(name)} is given twice");
        }

        reader.Read();
        return true;
    }
}
