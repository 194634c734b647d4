using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>What the running kernel does with NFT_TABLE_F_PERSIST, as <see cref="TablePersistenceProbe"/> found out.</summary>
internal enum TablePersistence
{
    /// <summary>An OWNER|PERSIST table outlives its owner's socket as an orphan (Linux 6.9 and later).</summary>
    Supported,

    /// <summary>The kernel refuses the flag (EOPNOTSUPP), or keeps it without keeping the table.</summary>
    Unsupported,

    /// <summary>The probe could not run (no scratch namespace: CAP_SYS_ADMIN missing, or nf_tables unavailable).</summary>
    Unknown,
}

/// <summary>
/// Asks the kernel whether tables can persist, never its version string (guard.md): in a scratch network namespace of
/// its own (nothing else is touched, and the namespace dies with the probe's sockets, even if the process is killed)
/// one socket creates a table with OWNER|PERSIST and closes; a second socket must then still find the table, with
/// PERSIST set and no owner. That is the whole behaviour the guard relies on, seen rather than inferred.
/// </summary>
internal static class TablePersistenceProbe
{
    private const string ProbeTable = "aurorasoc-persist-probe";

    /// <summary>How long a forked child may keep the owner's socket alive: far beyond a fork-to-exec.</summary>
    private const int ReleaseWaitMilliseconds = 2000;
    private const int ReleasePollMilliseconds = 5;

    /// <summary>Runs the probe; <paramref name="evidence"/> says what the kernel answered, for the log.</summary>
    public static TablePersistence Run(out string evidence)
    {
        int errno = NetlinkSocket.TryOpenInScratchNamespace(2, NetlinkConnectionOptions.Default.SocketBufferBytes, out NetlinkSocket[] sockets);
        if (errno != 0)
        {
            evidence = $"no scratch network namespace for the probe: unshare(CLONE_NEWNET) failed with {Errno.Name(errno)} ({Errno.Describe(errno)})";
            return TablePersistence.Unknown;
        }

        using var owner = new NfTablesConnection(sockets[0]);
        using var observer = new NfTablesConnection(sockets[1]);
        using var batch = new NfTablesBatch(1024);
        batch.Begin(owner.ReserveSequences(3));
        batch.AddTable(new NftTable(NfProtocolFamily.Inet, ProbeTable, (uint)(NftTableFlags.Owner | NftTableFlags.Persist)));
        batch.End();
        try
        {
            owner.Commit(batch);
        }
        catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.KernelRejected)
        {
            evidence = $"the kernel refused a table with OWNER|PERSIST: {Errno.Name(exception.Errno)}";
            return TablePersistence.Unsupported;
        }
        catch (NetlinkException exception)
        {
            evidence = $"the probe table could not be created: {exception.Message}";
            return TablePersistence.Unknown;
        }

        try
        {
            NftTable? owned = Read(observer);
            if (owned is null || (owned.TableFlags & NftTableFlags.Persist) == 0 || owned.Owner != owner.PortId)
            {
                evidence = $"the kernel accepted OWNER|PERSIST but reads back flags {owned?.TableFlags.ToString() ?? "(no table)"}";
                return TablePersistence.Unsupported;
            }

            owner.Dispose(); // the owner's socket closes: an owner-only table would be deleted now
            NftTable? orphan = ReadAfterRelease(observer);
            if (orphan is null || orphan.TableFlags != NftTableFlags.Persist || orphan.Owner is not null)
            {
                evidence = orphan is null
                    ? "the OWNER|PERSIST table vanished when its owner's socket closed"
                    : $"after its owner's socket closed the table has flags {orphan.TableFlags} and owner {orphan.Owner}";
                return TablePersistence.Unsupported;
            }

            evidence = "an OWNER|PERSIST table outlived its owner's socket as an orphan (flags persist, no owner)";
            return TablePersistence.Supported;
        }
        catch (NetlinkException exception)
        {
            evidence = $"the probe table could not be read back: {exception.Message}";
            return TablePersistence.Unknown;
        }
    }

    /// <summary>
    /// Reads the table once the kernel has released its owner. close(2) is the release only when this process holds
    /// the socket's last reference: a child that another thread has just forked holds a copy of every descriptor
    /// until it execs (close-on-exec acts only then), and the release follows a moment later. Meanwhile the table
    /// still reads as owned, which would otherwise be taken for "no PERSIST".
    /// </summary>
    private static NftTable? ReadAfterRelease(NfTablesConnection observer)
    {
        long deadline = Environment.TickCount64 + ReleaseWaitMilliseconds;
        NftTable? table = Read(observer);
        while (table?.Owner is not null && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(ReleasePollMilliseconds);
            table = Read(observer);
        }

        return table;
    }

    private static NftTable? Read(NfTablesConnection connection)
        => connection.TryGet(NftMessageType.GetTable, NfProtocolFamily.Inet, (ushort)NftTableAttribute.Name, ProbeTable, NfTablesDecoder.DecodeTable, out NftTable? table)
            ? table
            : null;
}
