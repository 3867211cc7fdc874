using System.Reflection;
using System.Runtime.Versioning;

namespace Folios.Tests;

/// <summary>The tests run once per target; each run must exercise the library built for that target.</summary>
public sealed class TargetBuildTests
{
    [Fact]
    public void Each_test_build_runs_the_library_built_for_its_own_target()
    {
        static string? TargetOf(Assembly assembly) => assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        string? tests = TargetOf(typeof(TargetBuildTests).Assembly);
        Assert.NotNull(tests);
        Assert.Equal(tests, TargetOf(typeof(PageAllocator).Assembly));
    }
}
