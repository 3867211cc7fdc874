using Folios.Analyzers.Engine;
namespace Folios.Analyzers;

/// <summary>
/// The runtime's member and type names that the analyzers and fixers match or write, written once (the types
/// themselves are resolved in <see cref="FoliosTypes"/>). A rename in the runtime changes one line here.
/// </summary>
internal static class FoliosNames
{
    public const string Namespace = "Folios";
    public const string PageAllocator = "PageAllocator";
    public const string ExtentBuffer = "ExtentBuffer";
    public const string Folio = "Folio";

    public const string Allocate = "Allocate";
    public const string TryAllocate = "TryAllocate";
    public const string AllocateContiguous = "AllocateContiguous";
    public const string OrderForSize = "OrderForSize";
    public const string GetFolio = "GetFolio";
    public const string Unmap = "Unmap";
    public const string Free = "Free";
    public const string PageSize = "PageSize";

    public const string NoFail = "NoFail";
    public const string NoRetry = "NoRetry";
    public const string NoWarn = "NoWarn";
    public const string NoWait = "NoWait";
    public const string RetryMayFail = "RetryMayFail";
}
