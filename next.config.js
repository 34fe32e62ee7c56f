// keylab is a purely client-side app: a static export served from any file server.
/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'export',
  reactStrictMode: true,
  images: { unoptimized: true },
};

module.exports = nextConfig;
