using AuroraSoc.NetlinkIsolation.Testing;
using AuroraSoc.NetlinkIsolation.Testing.Vectors;

namespace AuroraSoc.NetlinkIsolation.Tests.Golden;

/// <summary>
/// A golden vector captured from nft 1.0.6 by <c>tests/TestVectors/capture.sh</c>: the nft input,
/// the netlink messages nft sent and, where recorded, the kernel's replies and nft's listing.
/// </summary>
public sealed class TestVector
{
    private TestVector(string name, string nftInput, IReadOnlyList<byte[]> request, IReadOnlyList<byte[]> reply, string? listing)
    {
        Name = name;
        NftInput = nftInput;
        Request = request;
        Reply = reply;
        Listing = listing;
    }

    /// <summary>The vector's name, e.g. <c>contract-example</c>.</summary>
    public string Name { get; }

    /// <summary>The text of <c>NAME.nft</c>, or for command vectors the nft arguments in <c>NAME.cmd</c> (one line, no newline).</summary>
    public string NftInput { get; }

    /// <summary>The messages nft sent, whole (nlmsghdr included), in order.</summary>
    public IReadOnlyList<byte[]> Request { get; }

    /// <summary>The messages the kernel sent back, in order; empty when the vector has no <c>NAME.reply.hex</c>.</summary>
    public IReadOnlyList<byte[]> Reply { get; }

    /// <summary><c>nft list table</c> output (<c>NAME.listing.txt</c>), or null when not recorded.</summary>
    public string? Listing { get; }

    /// <summary>The absolute path of <c>tests/TestVectors</c>.</summary>
    public static string DirectoryPath => RepositoryPaths.TestVectors;

    /// <summary>Every vector name (every <c>NAME.request.hex</c>), sorted ordinally.</summary>
    public static IReadOnlyList<string> AllNames()
    {
        const string suffix = ".request.hex";
        var names = Directory.EnumerateFiles(DirectoryPath, "*" + suffix)
            .Select(path => Path.GetFileName(path)[..^suffix.Length])
            .ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Loads the vector <paramref name="name"/> from <c>tests/TestVectors</c>.</summary>
    /// <exception cref="FileNotFoundException">The vector or its input does not exist.</exception>
    /// <exception cref="InvalidDataException">A hex file is malformed or a message's nlmsg_len does not match its length.</exception>
    public static TestVector Load(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is a vector name, not a path.", nameof(name));
        }

        var dir = DirectoryPath;
        string VectorFile(string suffix) => Path.Combine(dir, name + suffix);

        string nftInput;
        if (File.Exists(VectorFile(".nft")))
        {
            nftInput = File.ReadAllText(VectorFile(".nft"));
        }
        else if (File.Exists(VectorFile(".cmd")))
        {
            nftInput = File.ReadAllText(VectorFile(".cmd")).TrimEnd('\r', '\n');
        }
        else
        {
            throw new FileNotFoundException($"Test vector '{name}' has neither {name}.nft nor {name}.cmd in {dir}.", VectorFile(".nft"));
        }

        var requestPath = VectorFile(".request.hex");
        if (!File.Exists(requestPath))
        {
            throw new FileNotFoundException($"Test vector '{name}' has no {name}.request.hex in {dir}.", requestPath);
        }

        var request = HexVectorFile.ReadMessages(requestPath);
        var replyPath = VectorFile(".reply.hex");
        var reply = File.Exists(replyPath) ? HexVectorFile.ReadMessages(replyPath) : [];
        var listingPath = VectorFile(".listing.txt");
        var listing = File.Exists(listingPath) ? File.ReadAllText(listingPath) : null;
        return new TestVector(name, nftInput, request, reply, listing);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
