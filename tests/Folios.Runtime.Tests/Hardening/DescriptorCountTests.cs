namespace Folios.Tests.Hardening;

/// <summary>Counts this process's file descriptors, so it runs alone: other tests open arenas (memfds) in parallel.</summary>
[CollectionDefinition(nameof(DescriptorCountTests), DisableParallelization = true)]
public class DescriptorCountCollection;

[Collection(nameof(DescriptorCountTests))]
public class DescriptorCountTests
{
    [Fact]
    public void A_failing_constructor_leaves_no_descriptor_behind()
    {
        int before = Directory.GetFiles("/proc/self/fd").Length;
        for (int i = 0; i < 50; i++)
            Assert.Throws<ArgumentOutOfRangeException>(() => new PageAllocator(new PageAllocatorOptions { ReservePages = 1 << 20 }));
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length, 0, before + 2);
    }
}
