using System.Buffers;
using System.Runtime.CompilerServices;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>
/// A growable byte buffer that outlives one <see cref="NetlinkWriter"/>: a connection keeps one and reuses it
/// for every request, so encoding allocates nothing once it has grown to the largest batch. It takes no memory
/// until the first write, and then only what the messages need (pooled arrays, doubling).
/// </summary>
/// <remarks>
/// A pool of its own, not <c>ArrayPool&lt;byte&gt;.Shared</c>: the shared pool's first use times the processor-number
/// query (<c>ProcessorIdCache</c>), about 5 % of a one-shot CLI process before its commit (docs/benchmarks.md, "Cold
/// start"). This one takes a lock per bucket instead, which costs nothing at start; it keeps at most
/// <see cref="ArraysPerSize"/> arrays of each size up to <see cref="LargestPooled"/>, so what it holds stays bounded
/// (a 100,000-prefix batch, about 4 MB, is allocated and left to the GC).
/// </remarks>
internal sealed class NetlinkBuffer : IDisposable
{
    // The smallest array rented on first use: a request fits, a batch doubles from here.
    private const int MinimumCapacity = 1024;

    private const int LargestPooled = 1024 * 1024;
    private const int ArraysPerSize = 4;

    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(LargestPooled, ArraysPerSize);

    private byte[] _array;

    public NetlinkBuffer(int initialCapacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _array = initialCapacity == 0 ? [] : Pool.Rent(initialCapacity);
    }

    /// <summary>Bytes written so far.</summary>
    public int Length { get; internal set; }

    public int Capacity => _array.Length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    internal byte[] Array => _array;

    public void Clear() => Length = 0;

    /// <summary>Makes room for <paramref name="additional"/> more bytes, doubling the array when it must grow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnsureAvailable(int additional)
    {
        int required = checked(Length + additional);
        if (required > _array.Length)
        {
            Grow(required); // kept out of line: the check above runs for every message and attribute
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int required)
    {
        byte[] grown = Pool.Rent(Math.Max(required, Math.Max(_array.Length * 2, MinimumCapacity)));
        _array.AsSpan(0, Length).CopyTo(grown);
        if (_array.Length > 0)
        {
            Pool.Return(_array);
        }

        _array = grown;
    }

    /// <summary>Returns the array to the pool; a disposed buffer holds no memory (and starts from empty if written again).</summary>
    public void Dispose()
    {
        byte[] array = _array;
        _array = [];
        Length = 0;
        if (array.Length > 0)
        {
            Pool.Return(array);
        }
    }
}
