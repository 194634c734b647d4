// Namespaces a test forgot to dispose are deleted when the run ends, so `ip netns list` is clean afterwards.
[assembly: AssemblyFixture(typeof(NamespaceLeakSweeper))]
