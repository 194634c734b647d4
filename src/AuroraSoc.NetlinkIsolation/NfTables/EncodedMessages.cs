namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// Object messages encoded once — framed and padded by <see cref="NfTablesBatch"/>, their sequence numbers left for
/// the batch that copies them to stamp. What an isolate transaction sends depends only on its policy, so isolating
/// again copies these bytes instead of encoding the model again (docs/benchmarks.md, EncodeIsolateBatch).
/// </summary>
internal sealed class EncodedMessages
{
    private readonly byte[] _bytes;

    // Count + 1 entries: where each message starts in _bytes, then where the last one ends.
    private readonly int[] _offsets;

    private EncodedMessages(byte[] bytes, int[] offsets)
    {
        _bytes = bytes;
        _offsets = offsets;
    }

    /// <summary>How many messages there are.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Encodes the messages <paramref name="write"/> adds to an open batch, BATCH_BEGIN and BATCH_END left out.</summary>
    public static EncodedMessages Encode(Action<NfTablesBatch> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var batch = new NfTablesBatch();
        batch.Begin(0);
        write(batch);
        batch.End();

        int count = batch.MessageCount - 2;
        batch.TryGetMessage(1, out BatchMessage first);
        batch.TryGetMessage((uint)(batch.MessageCount - 1), out BatchMessage end);
        int[] offsets = new int[count + 1];
        for (int i = 0; i < count; i++)
        {
            batch.TryGetMessage((uint)(i + 1), out BatchMessage message);
            offsets[i] = message.Offset - first.Offset;
        }

        offsets[count] = end.Offset - first.Offset;
        return new EncodedMessages(batch.Bytes[first.Offset..end.Offset].ToArray(), offsets);
    }

    /// <summary>Appends every message to an open batch, each with the batch's next sequence number.</summary>
    public void AppendTo(NfTablesBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (int i = 0; i < Count; i++)
        {
            batch.AddEncoded(_bytes.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]));
        }
    }
}
