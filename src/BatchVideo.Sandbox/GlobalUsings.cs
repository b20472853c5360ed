// The project uses the plain SDK (it is a library hosting a server), so ASP.NET Core's implicit usings are not on.
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Routing;
