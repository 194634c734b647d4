using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.Json;

/// <summary>Reads one JSON object; the reader starts on its <see cref="JsonTokenType.StartObject"/> and ends on its end.</summary>
internal delegate T JsonObjectReader<T>(ref Utf8JsonReader reader);
