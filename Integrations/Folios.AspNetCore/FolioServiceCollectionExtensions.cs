using System.Diagnostics.Metrics;
using Folios;
using Folios.AspNetCore;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Folios pages as the memory of ASP.NET Core servers.</summary>
public static class FolioServiceCollectionExtensions
{
    /// <summary>
    /// Makes the server's transports (Kestrel's sockets among them) rent their buffers from Folios pages: registers a
    /// <see cref="FolioMemoryPoolFactory"/> as the <see cref="IMemoryPoolFactory{T}"/> of bytes, in place of any
    /// registered before, over a new array-backed <see cref="PageAllocator"/> that the container disposes with it.
    /// Resolve <see cref="FolioMemoryPoolFactory"/> to read the pools' statistics.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="allocatorOptions">The allocator's settings, with <see cref="PageAllocatorOptions.ArrayBackedArena"/>
    /// set; by default a 16 MiB array-backed arena named <c>aspnetcore</c> reporting to the host's
    /// <see cref="IMeterFactory"/>. Size the arena for the connections the server holds (a connection with data in
    /// flight holds a few pages).</param>
    /// <param name="largeBuffers">How requests above one page are served (see <see cref="FolioMemoryPool"/>); by
    /// default not at all, as Kestrel's own pool.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException">The service collection is null.</exception>
    /// <exception cref="ArgumentException">The options do not make an array-backed arena.</exception>
    public static IServiceCollection AddFolioMemoryPool(this IServiceCollection services,
        PageAllocatorOptions? allocatorOptions = null, AllocationPolicy largeBuffers = AllocationPolicy.Pages)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (allocatorOptions is { ArrayBackedArena: false })
            throw new ArgumentException(FolioMemoryPoolFactory.NeedsArrays, nameof(allocatorOptions));
        services.RemoveAll<IMemoryPoolFactory<byte>>();
        services.RemoveAll<FolioMemoryPoolFactory>();
        services.AddSingleton(provider =>
        {
            var options = allocatorOptions ?? new PageAllocatorOptions
            {
                Name = "aspnetcore",
                ArrayBackedArena = true,
                MeterFactory = provider.GetService<IMeterFactory>(),
            };
            return new FolioMemoryPoolFactory(new PageAllocator(options), largeBuffers, ownsAllocator: true);
        });
        services.AddSingleton<IMemoryPoolFactory<byte>>(provider => provider.GetRequiredService<FolioMemoryPoolFactory>());
        return services;
    }
}
