namespace Folios.EndToEnd.Tests;

/// <summary>One packed package for every end-to-end test, which run one at a time: each spawns whole builds.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "Packed Folios.Runtime";
}
