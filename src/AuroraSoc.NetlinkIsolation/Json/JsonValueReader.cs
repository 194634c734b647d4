using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.Json;

/// <summary>Reads the value of the field at <paramref name="path"/>; the reader starts on its first token and ends on its last.</summary>
internal delegate T JsonValueReader<T>(ref Utf8JsonReader reader, string path);
