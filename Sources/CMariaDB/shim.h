#ifndef CMARIADB_SHIM_H
#define CMARIADB_SHIM_H

#include <mysql.h>
/* Client error numbers (CR_*), not included by mysql.h. */
#include <errmsg.h>

/* From mysql/client_plugin.h, which cannot be included: Debian's copy includes
   ma_compress.h, a header the package does not ship. */
#ifndef MYSQL_CLIENT_AUTHENTICATION_PLUGIN
#define MYSQL_CLIENT_AUTHENTICATION_PLUGIN 2
#endif

#endif
