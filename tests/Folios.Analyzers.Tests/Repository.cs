using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Tests;

/// <summary>The checkout the tests run from (samples, docs and release-tracking files are read from it), and the
/// references a compilation of its code needs: this runtime's assemblies and Folios.Runtime.</summary>
internal static class Repository
{
    public static readonly string Root = Find();

    public static readonly ImmutableArray<MetadataReference> References =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(PageAllocator).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Analyzers.sln above {AppContext.BaseDirectory}.");
    }
}
