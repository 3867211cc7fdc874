using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Folios.Resp.Tests;

/// <summary>The sample as a user starts it: a process that answers PING once it says it listens, and stops cleanly
/// on Ctrl+C (SIGINT) and SIGTERM, reporting the pool's checks.</summary>
public partial class ProgramTests
{
    [Theory]
    [InlineData("folios", "INT")]
    [InlineData("default", "TERM")]
    public async Task The_server_answers_PING_as_soon_as_it_listens_and_stops_cleanly_on_a_signal(string pool, string signal)
    {
        // A background job of a non-interactive shell starts with SIGINT ignored, and so does every program it starts:
        // there, the server cannot see Ctrl+C at all, and is stopped the other way.
        if (signal == "INT" && IgnoresSigint())
            signal = "TERM";
        using var server = Start("--port", "0", "--pool", pool);
        try
        {
            await Serves(server, pool, signal);
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
        }
    }

    private static async Task Serves(Process server, string pool, string signal)
    {
        var patience = TimeSpan.FromSeconds(30);
        string listening = (await server.StandardOutput.ReadLineAsync().WaitAsync(patience))!;
        var match = Listening().Match(listening);
        Assert.True(match.Success, listening);
        Assert.Contains($"pool: {pool}", listening);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", int.Parse(match.Groups[1].Value)).WaitAsync(patience);
            var stream = client.GetStream();
            await stream.WriteAsync("*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"u8.ToArray());
            var reply = new byte[12];
            await stream.ReadExactlyAsync(reply).AsTask().WaitAsync(patience);
            Assert.Equal("+PONG\r\n+OK\r\n", Encoding.ASCII.GetString(reply));
        }

        using (var kill = Process.Start("kill", [$"-{signal}", server.Id.ToString()]))
            await kill.WaitForExitAsync();
        string rest = await server.StandardOutput.ReadToEndAsync().WaitAsync(patience);
        Assert.True(server.WaitForExit(15_000), "the server did not stop");
        Assert.Equal(0, server.ExitCode);
        Assert.Contains("stopped (1 keys)", rest);
        if (pool == "folios")
            Assert.Matches(@"folios pool: [1-9]\d* rents .*, 0 outstanding, 0 used after return, 0 double returns", rest);
        else
            Assert.DoesNotContain("folios pool", rest);
    }

    [Theory]
    [InlineData("--pool", "folios")]
    [InlineData("--port", "0", "--pool", "arrays")]
    [InlineData("--port", "70000")]
    [InlineData("--port", "0", "--store-mb")]
    public void Bad_command_lines_exit_with_2_and_say_how_to_call_it(params string[] args)
    {
        using var server = Start(args);
        string error = server.StandardError.ReadToEnd();
        Assert.True(server.WaitForExit(15_000));
        Assert.Equal(2, server.ExitCode);
        Assert.Contains("usage: folios-resp --port PORT --pool folios|default", error);
    }

    /// <summary>Whether this process ignores SIGINT (mask 0x2 of SigIgn in /proc/self/status), which its children inherit.</summary>
    private static bool IgnoresSigint()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                return (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
        }
        return false;
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "folios-resp.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    [GeneratedRegex(@"^listening on 127\.0\.0\.1:(\d+) \(pool: \w+\)$")]
    private static partial Regex Listening();
}
