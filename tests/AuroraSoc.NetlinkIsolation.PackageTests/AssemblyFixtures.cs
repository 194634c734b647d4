// Namespaces a test forgot to dispose are deleted when the run ends; the packed feed is packed once per run.
[assembly: AssemblyFixture(typeof(NamespaceLeakSweeper))]
[assembly: AssemblyFixture(typeof(AuroraSoc.NetlinkIsolation.PackageTests.PackageFeed))]
