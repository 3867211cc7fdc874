using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>What an allocation call asks for, as far as the compiler can fold it: the order, the flags, the policy.</summary>
internal sealed class AllocationRequest
{
    public const long PagesPolicy = 0;
    public const long SingleFolioPolicy = 1;

    private AllocationRequest()
    {
    }

    /// <summary>The order (from a [PageOrder] order or an [AllocationSize] size), or null when there is none to fold.</summary>
    public int? Order { get; private set; }

    /// <summary>The folded AllocFlags argument, or null when the call has none or it does not fold.</summary>
    public long? Flags { get; private set; }

    /// <summary>Whether the call takes an AllocationPolicy (an ExtentBuffer), and its folded value if it does.</summary>
    public bool HasPolicy { get; private set; }

    public long? Policy { get; private set; }

    public static AllocationRequest Read(IInvocationOperation invocation, FoliosTypes types, FoliosOptions options)
    {
        var request = new AllocationRequest();
        foreach (var argument in invocation.Arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null)
                continue;
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, types.AllocFlags))
                request.Flags = ConstantValues.TryGetInt64(argument.Value, out long flags) ? flags : null;
            else if (SymbolEqualityComparer.Default.Equals(parameter.Type, types.AllocationPolicy))
                (request.HasPolicy, request.Policy) = (true, ConstantValues.TryGetInt64(argument.Value, out long policy) ? policy : null);
            else if (FoliosTypes.HasAttribute(parameter, types.PageOrderAttribute))
                request.Order = Orders.TryGetOrder(argument.Value, types, options, out int order) ? order : null;
            else if (FoliosTypes.HasAttribute(parameter, types.AllocationSizeAttribute) && ConstantValues.TryGetInt64(argument.Value, out long bytes) && bytes > 0)
                request.Order = options.OrderForSize(bytes);
        }
        return request;
    }
}
