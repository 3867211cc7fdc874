namespace Folios.Analyzers.Tests;

/// <summary>The checkout the tests run from: samples, docs and release-tracking files are read from it.</summary>
internal static class Repository
{
    public static readonly string Root = Find();

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
