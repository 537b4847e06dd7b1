"""Z39.50 (ANSI/NISO Z39.50-2003) server: BER codec, APDUs, RPN mapping, asyncio TCP server."""
