using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Folios.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Folios.AspNetCore.Tests;

/// <summary>Kestrel on 127.0.0.1, serving real HTTP requests through HttpClient, on Folios pages.</summary>
public class KestrelTests
{
    private const int BodyBytes = 300_000;

    [Fact]
    public async Task Kestrel_reads_requests_and_writes_responses_in_Folios_pages_and_uses_none_after_return()
    {
        var app = CreateApp(services => services.AddFolioMemoryPool(new PageAllocatorOptions { Name = "kestrel-test", ArenaBytes = 16 << 20, ArrayBackedArena = true }));
        var factory = app.Services.GetRequiredService<FolioMemoryPoolFactory>();
        Assert.Same(factory, app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(Address(app)) };
            await Exchange(client);

            var pools = factory.Pools;
            Assert.NotEmpty(pools);
            long pageRents = pools.Sum(pool => pool.Statistics.PageRents);
            // Three request bodies of 74 pages and a response of 49: the transport reads and writes them in pages it
            // rents here (the response goes out as several pages at once, as array segments of the arena).
            Assert.True(pageRents >= (3 * BodyBytes + 200_000) / 4096, $"{pageRents} pages rented by {string.Join(", ", pools.Select(p => p.Owner))}");
            Assert.True(factory.Allocator.Statistics.AllocationsPerOrder[0] >= pageRents);
            Assert.All(pools, pool => Assert.Equal((0L, 0L), (pool.Statistics.UseAfterReturn, pool.Statistics.DoubleReturns)));
        }
        finally
        {
            await app.StopAsync();
        }
        // Every buffer went back when the connections closed.
        Assert.All(factory.Pools, pool => Assert.Equal(0, pool.Statistics.Outstanding));
        await app.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => factory.Allocator.Allocate(0));
    }

    [Fact]
    public async Task Without_the_registration_Kestrel_keeps_its_own_pool_and_rents_nothing_from_Folios()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { Name = "kestrel-unused" });
        var app = CreateApp(services => services.AddSingleton(allocator));
        Assert.IsNotType<FolioMemoryPoolFactory>(app.Services.GetService<IMemoryPoolFactory<byte>>());
        await app.StartAsync();
        using (var client = new HttpClient { BaseAddress = new Uri(Address(app)) })
            await Exchange(client);
        await app.StopAsync();
        await app.DisposeAsync();
        Assert.Equal(0, allocator.Statistics.AllocationsPerOrder.Sum());
    }

    [Fact]
    public void The_factory_checks_its_arguments_and_names_each_pool_by_its_owner()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArrayBackedArena = true });
        using var native = new PageAllocator();
        Assert.Equal("allocator", Assert.Throws<ArgumentNullException>(() => new FolioMemoryPoolFactory(null!)).ParamName);
        Assert.Contains("ArrayBackedArena", Assert.Throws<ArgumentException>(() => new FolioMemoryPoolFactory(native)).Message);
        Assert.Equal("allocatorOptions", Assert.Throws<ArgumentException>(() => new ServiceCollection().AddFolioMemoryPool(new PageAllocatorOptions())).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FolioMemoryPoolFactory(allocator, AllocationPolicy.FolioOrPages));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddFolioMemoryPool());

        using var factory = new FolioMemoryPoolFactory(allocator, AllocationPolicy.SingleFolio);
        using var named = factory.Create(new MemoryPoolOptions { Owner = "sockets" });
        using var unnamed = factory.Create();
        Assert.Equal(["sockets", "aspnetcore"], factory.Pools.Select(pool => pool.Owner));
        Assert.All(factory.Pools, pool => Assert.Equal(AllocationPolicy.SingleFolio, pool.LargeBufferPolicy));
        factory.Dispose();
        using var owner = named.Rent();
        Assert.Equal(4096, owner.Memory.Length); // the factory does not own an allocator it was given
    }

    private static WebApplication CreateApp(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        configure(builder.Services);
        var app = builder.Build();
        // The request body is read as it arrives and hashed; the response echoes the hash and a body of its own.
        app.MapPost("/sha256", async (HttpRequest request) =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            while (true)
            {
                var result = await request.BodyReader.ReadAsync();
                foreach (var segment in result.Buffer)
                    hash.AppendData(segment.Span);
                request.BodyReader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    break;
            }
            return Convert.ToHexString(hash.GetHashAndReset());
        });
        app.MapGet("/bytes/{count:int}", (int count) => Results.Bytes(Pattern(count), "application/octet-stream"));
        return app;
    }

    private static async Task Exchange(HttpClient client)
    {
        var body = new byte[BodyBytes];
        new Random(11).NextBytes(body);
        for (int i = 0; i < 3; i++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await client.PostAsync("/sha256", content);
            response.EnsureSuccessStatusCode();
            Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(Pattern(200_000), await client.GetByteArrayAsync("/bytes/200000"));
    }

    private static byte[] Pattern(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 7)).ToArray();

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
}
